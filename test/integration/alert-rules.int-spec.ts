import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { NewOnly } from '../../libs/alerts/src/evaluation/new-only';
import { NodeUnreachableRule } from '../../libs/alerts/src/evaluation/node-unreachable-rule';
import { RolloutHaltedRule } from '../../libs/alerts/src/evaluation/rollout-halted-rule';
import type { EvaluationContext } from '../../libs/alerts/src/evaluation/rule-evaluation';
import { TaskFailureRules } from '../../libs/alerts/src/evaluation/task-failure-rules';
import { AlertRuleRepository, type StoredRule } from '../../libs/alerts/src/persistence/alert-rule.repository';
import { AlertSourcesRepository } from '../../libs/alerts/src/persistence/alert-sources.repository';
import { AlertRepository } from '../../libs/alerts/src/persistence/alert.repository';
import { openDb, seedNode, uniqueName } from './support/database';

/**
 * The rules' reads on seeded rows, decided at a given Clock time: an unreachable node by minutes
 * since its last successful facts read, a halted rollout, a failed scheduled task. Drafts only: what
 * the evaluator would raise (cursors are given, not the shared rows').
 */
describe('alert rules on Postgres', () => {
  const { db, close } = openDb();
  const sources = new AlertSourcesRepository(db);
  const rules = new AlertRuleRepository(db);
  const newOnly = new NewOnly(new AlertRepository(db));
  afterAll(close);

  const ctx = (rule: StoredRule['rule'], now: Date, over: Partial<StoredRule> = {}, all: StoredRule[] = []): EvaluationContext => ({
    rule: { rule, enabled: true, threshold: null, channelIds: [], cursorAt: null, scannedDay: null, ...over },
    rules: all,
    now,
  });

  it('node-unreachable: only past N minutes of the Clock since the last successful read, named by that read', async () => {
    const node = await seedNode(db);
    await sql`UPDATE node SET facts_at = now() - interval '20 minutes', facts_error = 'connect ECONNREFUSED', facts_error_at = now()
              WHERE id = ${node.id}`.execute(db);
    const rule = new NodeUnreachableRule(sources, newOnly);
    const mine = async (now: Date) =>
      (await rule.evaluate(ctx('node-unreachable', now, { threshold: 30 }))).drafts.filter((d) => d.node === node.name);
    expect(await mine(new Date())).toEqual([]);
    const later = await mine(new Date(Date.now() + 15 * 60_000));
    expect(later).toHaveLength(1);
    expect(later[0].title).toBe(`${node.name}: unreachable for more than 30 minutes`);
    expect(later[0].text).toContain('connect ECONNREFUSED');
    expect(later[0].dedupeKey).toMatch(new RegExp(`^node-unreachable:${node.name}:\\d{4}-`));
  });

  it('rollout-halted: a rollout that ended halted after the cursor, with its failed node and task', async () => {
    const node = uniqueName('pve');
    const upid = `UPID:${node}:0000:0000:00000000:aptupgrade::root@pam:`;
    const { rows } = await sql<{ id: number }>`
      INSERT INTO rollout (status, spec, batches, "user", reason, ended_at) VALUES ('halted', '{}', '[]', 'root@pam', 'failure budget exceeded', now())
      RETURNING id`.execute(db);
    const id = rows[0].id;
    await sql`INSERT INTO rollout_node (rollout_id, node, batch, position, state, task_upid, ended_at)
              VALUES (${id}, ${node}, 0, 0, 'failed', ${upid}, now())`.execute(db);
    const rule = new RolloutHaltedRule(sources, rules, newOnly);
    const { drafts } = await rule.evaluate(ctx('rollout-halted', new Date(), { cursorAt: new Date(Date.now() - 60_000) }));
    const d = drafts.find((x) => x.rolloutId === id);
    expect(d).toMatchObject({ node, taskUpid: upid, title: `rollout ${id} halted`, dedupeKey: `rollout-halted:${id}` });
    expect(d?.text).toContain('failure budget exceeded');
  });

  it('scheduled-task-failed: a failed task a schedule created; a scheduled renewal goes to renewal-failed while that rule is on', async () => {
    const node = await seedNode(db);
    const { rows } = await sql<{ id: number }>`
      WITH s AS (INSERT INTO schedule (name, cron, timezone, selector, action, updated_at)
                 VALUES (${uniqueName('sched')}, '0 3 * * *', 'UTC', '{"all":true}', '{}', now()) RETURNING id)
      INSERT INTO schedule_run (schedule_id, fire_at, status) SELECT id, now(), 'started' FROM s RETURNING id`.execute(db);
    const runId = rows[0].id;
    const upid = (type: string) => `UPID:${node.name}:${randomBytes(4).toString('hex')}:0000:00000000:${type}::root@pam:`;
    for (const [type, u] of [
      ['aptupdate', upid('aptupdate')],
      ['acmerenew', upid('acmerenew')],
    ]) {
      await sql`INSERT INTO task (upid, node, node_id, type, "user", status, mutating, start_time, end_time, exitstatus, is_error, error_class, schedule_run_id)
                VALUES (${u}, ${node.name}, ${node.id}, ${type}, 'root@pam', 'stopped', true, now(), now(), 'command failed', true, 'permanent', ${runId})`.execute(
        db,
      );
    }
    const { scheduled } = new TaskFailureRules(sources, rules, newOnly);
    const since = new Date(Date.now() - 60_000);
    const renewalOn = [{ rule: 'renewal-failed', enabled: true } as StoredRule];
    const types = async (all: StoredRule[]) =>
      (await scheduled.evaluate(ctx('scheduled-task-failed', new Date(), { cursorAt: since }, all))).drafts
        .filter((d) => d.node === node.name)
        .map((d) => d.taskUpid?.split(':')[5]);
    expect(await types(renewalOn)).toEqual(['aptupdate']);
    expect((await types([])).sort()).toEqual(['acmerenew', 'aptupdate']);
  });
});
