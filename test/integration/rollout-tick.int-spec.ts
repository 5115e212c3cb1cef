import type { TestingModule } from '@nestjs/testing';
import { rolloutRequestSchema } from '@pvefleet/contracts';
import { Db } from '@pvefleet/db';
import type { ErrorClass } from '@pvefleet/errors';
import { RolloutOrchestrationModule, RolloutOrchestrator, RolloutRepository } from '@pvefleet/rollouts';
import type { Redis } from 'ioredis';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedNode, seedRunningTask } from './support/database';
import { composeModules } from './support/nest';

/**
 * One orchestrator tick on seeded rows: a standalone node whose `refresh` step task has stopped in
 * error. What the tick does next is decided by the task's error class, never by its text.
 */
describe('rollout orchestrator tick, on Postgres and Redis', () => {
  let app: TestingModule;
  let redis: Redis;
  let redisPrefix: string;
  let db: Db;
  let rollouts: RolloutRepository;
  let orchestrator: RolloutOrchestrator;

  beforeAll(async () => {
    let config;
    ({ app, redis, config } = await composeModules(RolloutOrchestrationModule));
    redisPrefix = config.redisPrefix;
    db = app.get(Db);
    rollouts = app.get(RolloutRepository);
    orchestrator = app.get(RolloutOrchestrator);
  });
  afterAll(async () => {
    await app.close();
    redis.disconnect();
  });

  /** A running rollout of one node, at `refresh`, whose task stopped with this exit status and class. */
  async function seedFailedStep(exitstatus: string, errorClass: ErrorClass) {
    const node = await seedNode(db);
    const id = await rollouts.create({
      spec: rolloutRequestSchema.parse({ selector: { nodes: [node.name] } }),
      batches: [[node.name]],
      user: 'root@pam',
      nodes: [{ node: node.name, nodeId: node.id, cluster: null, batch: 0, position: 0 }],
      created: 'created',
    });
    const task = await seedRunningTask(db, node, { type: 'aptupdate' });
    await sql`UPDATE task SET status = 'stopped', exitstatus = ${exitstatus}, is_error = true, error_class = ${errorClass}, end_time = now()
              WHERE id = ${task.id}::bigint`.execute(db);
    await sql`UPDATE rollout SET status = 'running', started_at = now() WHERE id = ${id}`.execute(db);
    await sql`UPDATE rollout_node SET state = 'running', step = 'refresh', task_upid = ${task.upid}, started_at = now(),
                     tasks = ${JSON.stringify([{ step: 'refresh', upid: task.upid }])}::jsonb
              WHERE rollout_id = ${id}`.execute(db);
    return { id, node, task };
  }

  const nodeRow = async (rolloutId: number) =>
    (
      await sql<{ state: string; step: string; task_upid: string; retries: number; detail: string | null }>`
        SELECT state, step, task_upid, retries, detail FROM rollout_node WHERE rollout_id = ${rolloutId}`.execute(db)
    ).rows[0];

  it('runs a step again when its worker was lost (interrupted), whatever its text says', async () => {
    const { id, node, task } = await seedFailedStep('the connection went away', 'interrupted');
    await orchestrator.advance(id);

    const after = await nodeRow(id);
    expect(after).toMatchObject({ state: 'running', step: 'refresh', retries: 1 });
    expect(after.task_upid).not.toBe(task.upid);
    const again = await sql<{
      type: string;
      status: string;
      node: string;
      rollout_id: number | null;
    }>`SELECT type, status, node, rollout_id FROM task WHERE upid = ${after.task_upid}`.execute(db);
    // The step's task names its rollout: its log lines and its history say which rollout ran it.
    expect(again.rows).toEqual([{ type: 'aptupdate', status: 'queued', node: node.name, rollout_id: id }]);
    // Handed to the queue after the commit: a worker of this prefix would pick it up.
    expect(await redis.keys(`${redisPrefix}:*`)).not.toEqual([]);
    const events = await rollouts.events(id, 0, 10);
    expect(events.map((e) => e.message)).toContainEqual(
      expect.stringContaining('refresh was interrupted (its worker was lost); running it again'),
    );
  });

  it('fails the node on a permanent error, even one whose text reads like a lost worker', async () => {
    const { id, task } = await seedFailedStep('interrupted: worker lost (pvefleet-worker-1)', 'permanent');
    await orchestrator.advance(id);

    const after = await nodeRow(id);
    expect(after).toMatchObject({ state: 'failed', retries: 0, task_upid: task.upid });
    expect(after.detail).toMatch(/^failed at refresh: interrupted: worker lost/);
  });

  it('a tick repeated on the same rows changes nothing more', async () => {
    const { id } = await seedFailedStep('the connection went away', 'interrupted');
    await orchestrator.advance(id);
    const once = await nodeRow(id);
    await orchestrator.advance(id);
    expect(await nodeRow(id)).toEqual(once);
  });
});
