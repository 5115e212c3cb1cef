import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client';
import { Stack } from '../support/stack';
import { TestFleet } from '../support/fleet';
import { refreshFacts, rolloutEvents, startRollout, stepsOf, waitForRollout } from '../support/rollouts';
import { waitForStatus } from '../support/tasks';

const ROLLOUT_TIMEOUT = { timeout: 300_000 };

describe('rollouts across a fleet and across clusters', () => {
  let stack: Stack;
  const fleets: TestFleet[] = [];

  beforeAll(async () => {
    stack = await Stack.start({ workers: 2, concurrency: 30, env: { PVEFLEET_ROLLOUT_TICK_MS: '100' } });
  });
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- beforeAll may have failed before assigning it
    await Promise.all([stack?.stop(), ...fleets.map((f) => f.stop())]);
  });

  it('20 standalone nodes in 2 batches of 10; nodes already up to date are never touched', ROLLOUT_TIMEOUT, async () => {
    const fleet = await TestFleet.start({ standalone: 20, sim: { rebootDelayMs: 300 } });
    fleets.push(fleet);
    const nodes = await fleet.register(stack);
    // Four nodes are brought up to date (and rebooted) beforehand.
    const current = nodes.slice(0, 4);
    // Standalone nodes cannot evacuate: their guests shut down for the reboot and start again after it.
    const pre = await apiClient(stack).POST('/api/v1/tasks', {
      body: {
        selector: { nodes: current },
        type: 'aptupgrade',
        params: { reboot: 'if-required', rebootTimeoutSeconds: 20, guests: 'shutdown' },
      },
    });
    if (!pre.data || !('tasks' in pre.data)) throw new Error(`no tasks in ${JSON.stringify(pre.error ?? pre.data)}`);
    await Promise.all(pre.data.tasks.map((t) => waitForStatus(stack, t.upid, 'stopped', 60_000)));
    await refreshFacts(stack, nodes);
    const before = Object.fromEntries(nodes.map((n) => [n, structuredClone(fleet.sim.state(n))]));

    const created = await startRollout(stack, { selector: { nodes }, batchSize: 10, job: { params: { guests: 'shutdown' } } });
    expect(created.batches.map((b) => b.length)).toEqual([10, 10]);
    const done = await waitForRollout(stack, created.id, ['completed', 'halted', 'failed'], 240_000);
    expect(done.status, (await rolloutEvents(stack, created.id)).join('\n')).toBe('completed');
    for (const name of nodes) {
      const row = done.nodes.find((n) => n.node === name)!;
      const state = fleet.sim.state(name);
      if (current.includes(name)) {
        expect(row.state).toBe('skipped');
        expect(row.detail).toMatch(/^up to date/);
        expect(stepsOf(done, name)).toEqual(['refresh', 'inspect']);
        expect(state.counters.reboots).toBe(before[name].counters.reboots);
      } else {
        expect(row.state).toBe('done');
        expect(state.counters.reboots).toBe(before[name].counters.reboots + 1);
        expect(state.upgradable).toEqual([]);
      }
      // No guest was running when its node rebooted, and every one runs again.
      expect(fleet.sim.clusterState(state.cluster).guests.map((g) => [g.status, g.killedByNodeDown])).toEqual([
        ['running', 0],
        ['running', 0],
      ]);
    }
  });

  it('three clusters of 4 side by side: one node per cluster at a time', ROLLOUT_TIMEOUT, async () => {
    const fleet = await TestFleet.start({
      clusters: [{ nodes: 4 }, { nodes: 4 }, { nodes: 4 }],
      sim: { rebootDelayMs: 300, haDelayMs: 20, migrationDelayMs: 5 },
    });
    fleets.push(fleet);
    const nodes = await fleet.register(stack);
    await refreshFacts(stack, nodes);
    const created = await startRollout(stack, { selector: { nodes } });
    expect(created.batches).toHaveLength(4);
    for (const batch of created.batches) {
      expect(new Set(batch.map((n) => fleet.sim.info(n).cluster)).size).toBe(3);
    }
    const done = await waitForRollout(stack, created.id, ['completed', 'halted', 'failed'], 240_000);
    expect(done.status, (await rolloutEvents(stack, created.id)).join('\n')).toBe('completed');
    expect(done.nodes.every((n) => n.state === 'done')).toBe(true);
    for (const name of nodes) expect(fleet.sim.state(name).maintenance).toBe(false);
    // Within each batch, the three nodes (one per cluster) ran at the same time.
    const events = await rolloutEvents(stack, created.id);
    expect(events.filter((e) => e.startsWith('batch ') && e.includes('pre-flight'))).toHaveLength(12);
  });
});
