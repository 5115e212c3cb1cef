import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestFleet } from '../support/fleet';
import { OwnPostgres } from '../support/own-postgres';
import { Stack } from '../support/stack';
import { eventually, getTask, startFleetTasks } from '../support/tasks';
import { stopAll } from '../support/teardown';

const NODES = 100;
const ROUNDS = 10;
const NODE_LOCK = '/run/lock/pvefleet-mutating.lock';

/**
 * Two workers and 1,000 mutating tasks over 100 nodes while a chaos loop kills and restarts workers
 * and stops Postgres for longer than the task lease. The proof comes from the nodes' own records,
 * not pvefleet's: no two mutating commands on one node ever overlapped, and no mutating command ran
 * twice. Every task ends, once.
 */
describe('chaos: workers killed and Postgres stopped under 1,000 mutating tasks', () => {
  let pg: OwnPostgres;
  let stack: Stack;
  let fleet: TestFleet;

  beforeAll(async () => {
    pg = await OwnPostgres.start('chaos');
    const databaseUrl = pg.databaseUrl;
    [stack, fleet] = await Promise.all([
      Stack.start({ workers: 2, env: { DATABASE_URL: databaseUrl, PVEFLEET_TASK_LEASE_MS: '3000' } }),
      TestFleet.start({ standalone: NODES }),
    ]);
    await fleet.register(stack);
  }, 120_000);
  afterAll(async () => {
    await stopAll(stack, fleet);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when OwnPostgres.start failed in beforeAll
    await pg?.remove();
  });

  it('never overlaps two mutating commands on a node, never runs one twice, and ends every task', async () => {
    const upids: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const tasks = await startFleetTasks(stack, {
        selector: { nodes: fleet.names },
        type: 'exec',
        params: { argv: ['sh', '-c', `sleep 0.2; echo chaos-${round}`] },
      });
      upids.push(...tasks.map((t) => t.upid));
    }

    // The chaos loop: a worker killed and replaced every 2 s, and once Postgres stopped past the lease.
    let live = [0, 1];
    for (let i = 0; i < 8; i++) {
      await new Promise((r) => setTimeout(r, 2_000));
      const victim = live[i % live.length];
      await stack.killWorker(victim);
      stack.startWorker();
      live = [...live.filter((w) => w !== victim), stack.workers.length - 1];
      if (i === 3) {
        await pg.stop();
        await new Promise((r) => setTimeout(r, 4_000));
        await pg.startAgain();
      }
    }

    await eventually(
      async () => {
        const open = await Promise.all(upids.slice(-NODES).map(async (u) => (await getTask(stack, u)).status));
        return open.every((s) => s === 'stopped') ? true : undefined;
      },
      240_000,
      'the last round to end',
    );
    const all = await Promise.all(upids.map((u) => getTask(stack, u)));
    expect(all.filter((t) => t.status !== 'stopped')).toEqual([]);

    for (const node of fleet.names) {
      const sim = fleet.sim.node(node);
      const holds = sim.locks.history.filter((h) => h.path === NODE_LOCK).sort((a, b) => a.since - b.since);
      for (let i = 1; i < holds.length; i++)
        expect(holds[i].since, `${node}: two mutating commands at once`).toBeGreaterThanOrEqual(holds[i - 1].until!);
      const ran = sim.execHistory.records.map((r) => /echo (chaos-\d+)/.exec(r.command)?.[1]).filter(Boolean);
      expect(new Set(ran).size, `${node}: a mutating command ran twice`).toBe(ran.length);
    }
    // Most of the work still got done: the chaos ends tasks in error, not everything.
    expect(all.filter((t) => t.exitstatus === 'OK').length).toBeGreaterThan(upids.length / 2);
  }, 360_000);
});
