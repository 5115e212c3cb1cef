import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestFleet } from '../support/fleet';
import { Stack } from '../support/stack';
import { eventually, getTask, startTask, taskLog, waitForStatus } from '../support/tasks';
import { stopAll } from '../support/teardown';

const NODES = 10;
const QUEUED_PER_NODE = 20;
/** The long tasks wait for this file, so that submitting 220 tasks on a slow machine never outlasts them. */
const GO = '/run/pvefleet-test-go';
const waitThen = (command: string) => ['sh', '-c', `until test -e ${GO}; do sleep 0.1; done; ${command}`];

/**
 * A worker is killed (-9) with 20 tasks running (half read-only, half mutating) and 200 mutating
 * tasks waiting for their nodes. Every task ends exactly once; a read-only task it was running is
 * run again by the surviving worker; a mutating one is never re-run blindly; what ran on the nodes
 * is counted from the nodes' own records.
 */
describe('a worker killed in the middle of work', () => {
  let stack: Stack;
  let fleet: TestFleet;

  beforeAll(async () => {
    [stack, fleet] = await Promise.all([Stack.start({ workers: 2, concurrency: 20 }), TestFleet.start({ standalone: NODES })]);
    await fleet.register(stack);
  });
  afterAll(async () => {
    await stopAll(stack, fleet);
  });

  const ran = (node: string, pattern: RegExp) => fleet.sim.node(node).execHistory.records.filter((r) => pattern.test(r.command)).length;

  it('ends every task once, runs read-only ones again and never re-runs a mutating one', async () => {
    const writers: string[] = [];
    const readers: string[] = [];
    const queued: { node: string; upid: string; word: string }[] = [];
    for (const node of fleet.names) {
      writers.push(await startTask(stack, node, 'exec', { argv: waitThen('sleep 3') }));
      readers.push(await startTask(stack, node, 'exec', { argv: waitThen('sleep 4'), readOnly: true }));
    }
    for (let i = 0; i < QUEUED_PER_NODE; i++) {
      for (const node of fleet.names) {
        const word = `q-${node}-${i}`;
        queued.push({ node, word, upid: await startTask(stack, node, 'exec', { argv: ['echo', word] }) });
      }
    }
    await eventually(
      async () =>
        (await Promise.all([...writers, ...readers].map((u) => getTask(stack, u)))).every((t) => t.status === 'running') ? true : undefined,
      20_000,
      'all 20 long tasks running',
    );
    for (const node of fleet.names) fleet.sim.writeFile(node, GO, '');
    await stack.killWorker(0);

    const all = [...writers, ...readers, ...queued.map((q) => q.upid)];
    const ended = await Promise.all(all.map((u) => waitForStatus(stack, u, 'stopped', 90_000)));
    const byUpid = new Map(ended.map((t) => [t.upid, t]));

    // Read-only: all OK, those of the dead worker after a second run that the log announces.
    for (const u of readers) expect(byUpid.get(u)!.exitstatus).toBe('OK');
    const rerun = await Promise.all(readers.map(async (u) => (await taskLog(stack, u)).some((l) => l.t.includes('running it again'))));
    expect(rerun.some(Boolean)).toBe(true);
    for (const u of readers) {
      const log = await taskLog(stack, u);
      expect(log.map((l) => l.n)).toEqual(log.map((_, i) => i + 1));
      expect(log.filter((l) => l.t.startsWith('TASK '))).toHaveLength(1);
    }

    // Mutating: OK, or interrupted and not run again; the node saw each command start once at most.
    for (const u of writers) expect(['OK', 'interrupted: worker lost during task']).toContain(byUpid.get(u)!.exitstatus);
    for (const u of writers) expect(byUpid.get(u)!.errorClass ?? null).toBe(byUpid.get(u)!.exitstatus === 'OK' ? null : 'interrupted');
    expect(writers.some((u) => byUpid.get(u)!.exitstatus !== 'OK') || rerun.some(Boolean)).toBe(true);
    for (const node of fleet.names) expect(ran(node, /bash -c .*sleep 3/)).toBe(1);

    // Waiting tasks: each ran exactly once, in order, never beside another mutating command.
    for (const q of queued) expect(byUpid.get(q.upid)!.exitstatus).toBe('OK');
    for (const node of fleet.names) {
      const words = fleet.sim
        .node(node)
        .execHistory.records.map((r) => /echo (q-[^\s']+)/.exec(r.command)?.[1])
        .filter(Boolean);
      expect(words).toEqual(queued.filter((q) => q.node === node).map((q) => q.word));
      const holds = fleet.sim.node(node).locks.history.filter((h) => h.path === '/run/lock/pvefleet-mutating.lock');
      for (let i = 1; i < holds.length; i++) expect(holds[i].since).toBeGreaterThanOrEqual(holds[i - 1].until!);
    }
  }, 150_000);
});
