import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorMessage } from '@pvefleet/errors';
import { Stack } from '../support/stack';
import { TestFleet } from '../support/fleet';
import { getRollout, refreshFacts, rolloutEvents, startRollout, stepsOf, waitForRollout } from '../support/rollouts';

describe('rolling upgrade of a 5-node Ceph cluster', () => {
  let stack: Stack;
  let fleet: TestFleet;
  let nodes: string[];

  beforeAll(async () => {
    [stack, fleet] = await Promise.all([
      Stack.start({ workers: 2, env: { PVEFLEET_ROLLOUT_TICK_MS: '100' } }),
      TestFleet.start({ nodes: 5, ceph: true, sim: { rebootDelayMs: 300, haDelayMs: 20, migrationDelayMs: 5 } }),
    ]);
    nodes = await fleet.register(stack);
    await refreshFacts(stack, nodes);
  });
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- beforeAll may have failed before assigning it
    await Promise.all([stack?.stop(), fleet?.stop()]);
  });

  it(
    'upgrades every node one at a time, rebooting each once onto the new kernel, noout around each reboot',
    { timeout: 300_000 },
    async () => {
      const before = Object.fromEntries(nodes.map((n) => [n, structuredClone(fleet.sim.state(n))]));
      const created = await startRollout(stack, { selector: { nodes } });
      expect(created.batches).toEqual(nodes.map((n) => [n]));
      const done = await waitForRollout(stack, created.id, ['completed', 'halted', 'failed'], 240_000).catch(async (err: unknown) => {
        const r = await getRollout(stack, created.id);
        throw new Error(
          `${errorMessage(err)}\n${(await rolloutEvents(stack, created.id)).join('\n')}\n${JSON.stringify(
            r.nodes.map((n: object) => n),
            null,
            1,
          )}`,
        );
      });
      expect(done.status, `${done.reason}\n${(await rolloutEvents(stack, created.id)).join('\n')}`).toBe('completed');
      for (const name of nodes) {
        const state = fleet.sim.state(name);
        expect(done.nodes.find((n) => n.node === name)!.state).toBe('done');
        expect(state.counters.reboots).toBe(before[name].counters.reboots + 1);
        expect(state.bootId).not.toBe(before[name].bootId);
        expect(state.runningKernel).toBe(state.installedKernels.at(-1));
        expect(state.upgradable).toEqual([]);
        expect(state.maintenance).toBe(false);
        expect(stepsOf(done, name)).toEqual([
          'refresh',
          'inspect',
          'maintenance',
          'evacuate',
          'noout',
          'upgrade',
          'health',
          'noout-unset',
          'leave',
          'return',
          'verify',
        ]);
      }
      expect(fleet.sim.state(nodes[0]).ceph?.flags).not.toContain('noout');
      const events = await rolloutEvents(stack, created.id);
      expect(events.some((e) => /^\[3\/5\] \S+: evacuating to /.test(e))).toBe(true);
    },
  );
});
