import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TestFleet } from '../support/fleet';
import { Stack } from '../support/stack';
import { eventually, getTask, startTask, taskLog, waitForLogLines, waitForStatus } from '../support/tasks';
import { stopAll } from '../support/teardown';

/**
 * One mutating command per node at a time, even when Postgres loses track: the node's own lock
 * (flock in /run/lock) keeps a second mutating command waiting while the first one still runs, and
 * a worker never ends its own live task as orphaned. Proved from the simulated node's record of
 * its lock holds, not from pvefleet's rows.
 */
describe('fencing on the node', () => {
  let stack: Stack;
  let fleet: TestFleet;
  const db = new pg.Client({ connectionString: inject('databaseUrl') });

  beforeAll(async () => {
    // A short lease, so a heartbeat that does not land makes an "orphan" within a test's time.
    [stack, fleet] = await Promise.all([
      Stack.start({ env: { PVEFLEET_TASK_LEASE_MS: '2000' } }),
      TestFleet.start({ standalone: 2 }),
      db.connect(),
    ]);
    await fleet.register(stack);
  });
  afterAll(async () => {
    await db.query('DROP TRIGGER IF EXISTS e2e_freeze_heartbeat ON task').catch(() => undefined);
    await db.end();
    await stopAll(stack, fleet);
  });

  const slowSeq = (node: string, lines: number) =>
    fleet.sim.addCommandFault(node, { match: { regex: `^seq 1 ${lines}$` }, action: { kind: 'slow', lineDelayMs: 1 } });

  it('keeps a second mutating command waiting on the node while the first runs, after the lease passed', async () => {
    const node = fleet.names[0];
    slowSeq(node, 3000);
    const first = await startTask(stack, node, 'exec', { argv: ['seq', '1', '3000'] });
    await waitForLogLines(stack, first, 20);
    // What a database outage longer than the lease does: the node lease passes while the command runs.
    await db.query('UPDATE node SET lease_task_id = NULL, lease_expires_at = NULL WHERE name = $1', [node]);
    const second = await startTask(stack, node, 'exec', { argv: ['echo', 'second'] });
    const [a, b] = await Promise.all([waitForStatus(stack, first, 'stopped', 60_000), waitForStatus(stack, second, 'stopped', 60_000)]);
    expect([a.exitstatus, b.exitstatus]).toEqual(['OK', 'OK']);
    expect((await taskLog(stack, second)).map((l) => l.t)).toContain('second');

    const holds = fleet.sim.node(node).locks.history.filter((h) => /seq 1 3000|echo second/.test(h.command));
    expect(holds.map((h) => h.command)).toEqual([expect.stringContaining('seq 1 3000'), expect.stringContaining('echo second')]);
    expect(holds[0].path).toBe('/run/lock/pvefleet-mutating.lock');
    expect(holds[1].since).toBeGreaterThanOrEqual(holds[0].until!);
  });

  it('stops a task before its next command when its lease passed to another task meanwhile', async () => {
    const node = fleet.names[1];
    fleet.sim.addCommandFault(node, { match: { regex: '^apt-get update$' }, action: { kind: 'slow', lineDelayMs: 1_500 }, times: 1 });
    const upgrade = await startTask(stack, node, 'aptupgrade', { reboot: 'never' });
    await eventually(
      async () => ((await taskLog(stack, upgrade)).some((l) => l.t === '# apt-get update') ? true : undefined),
      20_000,
      'apt-get update to start',
    );
    // The lease passes (as after a database outage longer than the lease) while apt-get update runs.
    await db.query('UPDATE node SET lease_task_id = NULL, lease_expires_at = NULL WHERE name = $1', [node]);
    const other = await startTask(stack, node, 'exec', { argv: ['echo', 'other'] });
    const [a, b] = await Promise.all([waitForStatus(stack, upgrade, 'stopped', 60_000), waitForStatus(stack, other, 'stopped', 60_000)]);
    expect(a.exitstatus).toMatch(/^interrupted: the node lease passed to another task/);
    expect(b.exitstatus).toBe('OK');
    // Nothing after apt-get update ran for the upgrade: no dist-upgrade interleaved with the other task.
    expect(fleet.sim.node(node).execHistory.records.some((r) => r.command.includes('dist-upgrade'))).toBe(false);
  });

  it('lets read-only tasks run beside a mutating one, outside the lock', async () => {
    const node = fleet.names[1];
    fleet.sim.addCommandFault(node, { match: { regex: '^sleep 600$' }, action: { kind: 'hang' } });
    const writer = await startTask(stack, node, 'exec', { argv: ['sleep', '600'] });
    await waitForStatus(stack, writer, 'running');
    const reader = await waitForStatus(
      stack,
      await startTask(stack, node, 'exec', { argv: ['echo', 'read-only-beside'], readOnly: true }),
      'stopped',
      20_000,
    );
    expect(reader.exitstatus).toBe('OK');
    expect((await getTask(stack, writer)).status).toBe('running');
    expect((await stack.http.delete(`/tasks/${encodeURIComponent(writer)}`)).status).toBe(202);
    await waitForStatus(stack, writer, 'stopped', 30_000);
    const holds = fleet.sim.node(node).locks.history;
    expect(holds.some((h) => h.command.includes('read-only-beside'))).toBe(false);
    // The cancelled command ended on the node, and its lock with it.
    expect(holds.find((h) => h.command.includes('sleep 600'))?.until).not.toBeNull();
  });

  it('never reaps its own live task when its heartbeats do not reach Postgres', async () => {
    const node = fleet.names[0];
    slowSeq(node, 4000);
    // Heartbeats of this one task stop landing (as in a database outage) while the worker runs it.
    await db.query('CREATE TABLE IF NOT EXISTS e2e_frozen_heartbeat (task_id bigint PRIMARY KEY)');
    await db.query(`CREATE OR REPLACE FUNCTION e2e_freeze_heartbeat() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status = 'running' AND NEW.status = 'running' AND EXISTS (SELECT 1 FROM e2e_frozen_heartbeat WHERE task_id = NEW.id) THEN
          NEW.heartbeat_at := OLD.heartbeat_at;
        END IF;
        RETURN NEW;
      END $$`);
    await db.query('DROP TRIGGER IF EXISTS e2e_freeze_heartbeat ON task');
    await db.query('CREATE TRIGGER e2e_freeze_heartbeat BEFORE UPDATE ON task FOR EACH ROW EXECUTE FUNCTION e2e_freeze_heartbeat()');
    const upid = await startTask(stack, node, 'exec', { argv: ['seq', '1', '4000'] });
    await waitForStatus(stack, upid, 'running');
    await db.query('INSERT INTO e2e_frozen_heartbeat SELECT id FROM task WHERE upid = $1', [upid]);
    const task = await waitForStatus(stack, upid, 'stopped', 60_000);
    expect(task.exitstatus).toBe('OK');
    const log = await taskLog(stack, upid);
    expect(log.map((l) => l.n)).toEqual(log.map((_, i) => i + 1));
    expect(log.filter((l) => /^\d+$/.test(l.t))).toHaveLength(4000);
  });
});
