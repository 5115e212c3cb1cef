import { afterEach, describe, expect, it } from 'vitest';
import { Stack } from '../support/stack';
import { TestFleet } from '../support/fleet';
import { getRollout, refreshFacts, rolloutEvents, startRollout, waitForRollout, type RolloutJson } from '../support/rollouts';
import { eventually, getTask, taskLog } from '../support/tasks';

const T = { timeout: 240_000 };
const ENDED = ['completed', 'halted', 'failed', 'aborted'];

/** Every step a node finished ran exactly once (a step interrupted by a crash may have been run again). */
function expectNoStepRanTwice(r: RolloutJson): void {
  for (const n of r.nodes) {
    const ok = n.tasks.filter((t) => t.exitstatus === 'OK' || t.exitstatus?.startsWith('WARNINGS')).map((t) => t.step);
    expect(ok, `${n.node}: ${JSON.stringify(n.tasks)}`).toEqual([...new Set(ok)]);
  }
}

describe('a rollout survives crashes of its workers and of the API', () => {
  let stack: Stack | undefined;
  let fleet: TestFleet | undefined;
  afterEach(async () => {
    await Promise.all([stack?.stop(), fleet?.stop()]);
  });

  async function setUp(rebootDelayMs = 300) {
    // Short leases: a dead worker's task is known lost, and its rollout taken over, within seconds.
    stack = await Stack.start({ workers: 1, env: { PVEFLEET_ROLLOUT_TICK_MS: '100', PVEFLEET_TASK_LEASE_MS: '3000' } });
    fleet = await TestFleet.start({ nodes: 3, sim: { rebootDelayMs, haDelayMs: 20, migrationDelayMs: 5 } });
    const nodes = await fleet.register(stack);
    await refreshFacts(stack, nodes);
    const before = Object.fromEntries(nodes.map((n) => [n, structuredClone(fleet!.sim.state(n))]));
    return { stack, fleet, nodes, before };
  }

  /** Waits until node 2 is in the middle of a running step (its upgrade, preferably). */
  async function midBatch(s: Stack, id: number): Promise<RolloutJson> {
    return eventually(
      async () => {
        const r = await getRollout(s, id);
        const second = r.nodes[1];
        if (second.state !== 'running' || !second.task || !['upgrade', 'evacuate', 'maintenance'].includes(second.step ?? ''))
          return undefined;
        return (await getTask(s, second.task)).status === 'running' ? r : undefined;
      },
      120_000,
      'node 2 to be in the middle of a step',
    );
  }

  it('kill -9 the worker mid-batch: a new worker finishes the rollout, no finished step runs twice', T, async () => {
    const { stack: s, fleet: f, nodes, before } = await setUp();
    const r = await startRollout(s, { selector: { nodes } });
    const mid = await midBatch(s, r.id);
    await s.killWorker(0);
    s.startWorker();
    const end = await waitForRollout(s, r.id, ENDED);
    const events = await rolloutEvents(s, r.id);
    expect(end.status, events.join('\n')).toBe('completed');
    expectNoStepRanTwice(end);
    for (const n of nodes) {
      expect(f.sim.state(n).counters.reboots, n).toBe(before[n].counters.reboots + 1);
      expect(f.sim.state(n).maintenance).toBe(false);
    }
    const interrupted = end.nodes[1].tasks.find((t) => t.step === mid.nodes[1].step)!;
    if (interrupted.exitstatus === 'OK') {
      // A step whose kind reads the node back (HA maintenance) ends on that read-back and is not run again.
      expect((await taskLog(s, interrupted.upid)).map((l) => l.t)).toContain(
        'verified after worker loss: the node is as this task intended',
      );
    } else {
      expect(interrupted.exitstatus).toMatch(/^interrupted: worker lost/);
      expect(events.some((e) => e.includes('was interrupted (its worker was lost); running it again'))).toBe(true);
    }
  });

  it('kill -9 the worker while a node is down rebooting: the re-run step waits for the node, which reboots once', T, async () => {
    // The reboot outlasts the takeover (lease 3 s, a new worker's start), so the re-run step meets a node that is still down.
    const { stack: s, fleet: f, nodes, before } = await setUp(12_000);
    const r = await startRollout(s, { selector: { nodes } });
    const down = await eventually(
      () => Promise.resolve(nodes.find((n) => f.sim.state(n).downReason === 'rebooting')),
      120_000,
      'a node to be down rebooting',
    );
    await s.killWorker(0);
    s.startWorker();
    const end = await waitForRollout(s, r.id, ENDED, 180_000);
    const events = await rolloutEvents(s, r.id);
    expect(end.status, events.join('\n')).toBe('completed');
    expectNoStepRanTwice(end);
    for (const n of nodes) expect(f.sim.state(n).counters.reboots, n).toBe(before[n].counters.reboots + 1);
    const upgrades = end.nodes.find((n) => n.node === down)!.tasks.filter((t) => t.step === 'upgrade');
    expect(upgrades.map((t) => t.exitstatus)).toEqual([expect.stringMatching(/^interrupted: worker lost/), 'OK']);
    const rerun = (await taskLog(s, upgrades[1].upid)).map((l) => l.t);
    expect(
      rerun.some((t) => /the node may be rebooting: retrying/.test(t)),
      rerun.join('\n'),
    ).toBe(true);
    expect(
      rerun.some((t) => /boot id before reboot/.test(t)),
      'the re-run must not reboot again',
    ).toBe(false);
  });

  it('kill -9 the API mid-batch: the rollout goes on, and a restarted API reports it correctly', T, async () => {
    const { stack: s, fleet: f, nodes, before } = await setUp();
    const r = await startRollout(s, { selector: { nodes } });
    await midBatch(s, r.id);
    await s.killApi();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await s.restartApi();
    const end = await waitForRollout(s, r.id, ENDED);
    expect(end.status, (await rolloutEvents(s, r.id)).join('\n')).toBe('completed');
    expectNoStepRanTwice(end);
    expect(end.nodes.every((n) => n.tasks.every((t) => t.exitstatus === 'OK' || t.exitstatus?.startsWith('WARNINGS')))).toBe(true);
    for (const n of nodes) expect(f.sim.state(n).counters.reboots).toBe(before[n].counters.reboots + 1);
  });
});
