import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Stack } from '../support/stack';
import { eventually } from '../support/tasks';
import { TestFleet } from '../support/fleet';
import { rolloutEvents, type RolloutJson, simulatedCluster, startRollout, stepsOf, waitForRollout } from '../support/rollouts';

const T = { timeout: 240_000 };
const ENDED = ['completed', 'halted', 'failed', 'aborted'];

describe('rollouts that meet failures', () => {
  let stack: Stack;
  const fleets: TestFleet[] = [];

  const cluster = (opts: Parameters<typeof TestFleet.start>[0] = {}) => simulatedCluster(stack, fleets, opts);

  const node = (r: RolloutJson, name: string) => r.nodes.find((n) => n.node === name)!;
  const explain = async (id: number) => (await rolloutEvents(stack, id)).join('\n');

  beforeAll(async () => {
    stack = await Stack.start({ workers: 2, env: { PVEFLEET_ROLLOUT_TICK_MS: '100' } });
  });
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- beforeAll may have failed before assigning it
    await Promise.all([stack?.stop(), ...fleets.map((f) => f.stop())]);
  });

  it('an upgrade that fails halts the rollout (budget 0): the node stays in maintenance, later nodes never start', T, async () => {
    const { fleet, nodes, before } = await cluster();
    fleet.sim.addCommandFault(nodes[1], {
      match: 'dist-upgrade',
      action: { kind: 'fail', exitCode: 100, stderr: 'E: Sub-process /usr/bin/dpkg returned an error code (1)\n' },
    });
    const r = await startRollout(stack, { selector: { nodes } });
    const end = await waitForRollout(stack, r.id, ENDED);
    expect(end.status, await explain(r.id)).toBe('halted');
    expect(end.reason).toBe("1 failed node exceeds the rollout's failure budget of 0");
    expect(node(end, nodes[0]).state).toBe('done');
    const failed = node(end, nodes[1]);
    expect(failed.state).toBe('failed');
    expect(failed.step).toBe('upgrade');
    expect(failed.detail).toMatch(
      /^failed at upgrade: command 'DEBIAN_FRONTEND=noninteractive apt-get .*dist-upgrade' failed: exit code 100 \(still in HA maintenance mode/,
    );
    expect(fleet.sim.state(nodes[1]).maintenance).toBe(true);
    expect(fleet.sim.state(nodes[1]).counters.reboots).toBe(before[nodes[1]].counters.reboots);
    expect([node(end, nodes[2]).state, node(end, nodes[2]).detail]).toEqual([
      'not_started',
      expect.stringMatching(/^not started: cluster \S+ halted: 1 failed node exceeds its budget of 0$/),
    ]);
    expect(fleet.sim.state(nodes[2]).counters.execs).toBe(before[nodes[2]].counters.execs);
  });

  it('within the budget, the rollout goes on and completes, reporting the failure', T, async () => {
    const { fleet, nodes } = await cluster();
    fleet.sim.addCommandFault(nodes[0], { match: 'dist-upgrade', action: { kind: 'fail', exitCode: 100 } });
    const r = await startRollout(stack, { selector: { nodes }, maxFailures: { perCluster: 1, total: 1 } });
    const end = await waitForRollout(stack, r.id, ENDED);
    expect(end.status, await explain(r.id)).toBe('completed');
    expect(end.reason).toBe('2 upgraded, 0 skipped (nothing to do), 1 failed');
    expect(end.progress).toMatchObject({ done: 2, failed: 1 });
    expect(end.nodes.map((n) => n.state)).toEqual(['failed', 'done', 'done']);
  });

  it('a cluster over its own budget halts while another cluster finishes', T, async () => {
    const { fleet, nodes } = await cluster({ clusters: [{ nodes: 3 }, { nodes: 3 }] });
    const clusterA = fleet.sim.info(nodes[0]).cluster;
    const first = nodes.find((n) => fleet.sim.info(n).cluster === clusterA)!;
    fleet.sim.addCommandFault(first, { match: 'dist-upgrade', action: { kind: 'fail', exitCode: 100 } });
    const r = await startRollout(stack, { selector: { nodes }, maxFailures: { perCluster: 0, total: '50%' } });
    const end = await waitForRollout(stack, r.id, ENDED);
    expect(end.status, await explain(r.id)).toBe('completed');
    for (const n of end.nodes) {
      if (n.node === first) expect(n.state).toBe('failed');
      else if (n.cluster === clusterA)
        expect([n.state, n.detail]).toEqual(['not_started', expect.stringContaining(`not started: cluster ${clusterA} halted`)]);
      else expect(n.state).toBe('done');
    }
  });

  it('a guest that fails to migrate stops its node before any upgrade or reboot', T, async () => {
    const { fleet, nodes, before } = await cluster();
    const stuck = fleet.sim.state(nodes[0]).guests.find((g) => g.status === 'running' && !g.ha)!;
    fleet.sim.failMigration(stuck.vmid);
    const r = await startRollout(stack, { selector: { nodes } });
    const end = await waitForRollout(stack, r.id, ENDED);
    expect(end.status).toBe('halted');
    const failed = node(end, nodes[0]);
    expect(failed.step).toBe('evacuate');
    expect(failed.detail).toContain(String(stuck.vmid));
    expect(stepsOf(end, nodes[0])).not.toContain('upgrade');
    const state = fleet.sim.state(nodes[0]);
    expect(state.packages).toEqual(before[nodes[0]].packages);
    expect(state.counters.reboots).toBe(before[nodes[0]].counters.reboots);
    expect(state.guests.some((g) => g.vmid === stuck.vmid && g.status === 'running')).toBe(true);
  });

  it('a reboot that never happens is a failure, not a reboot', T, async () => {
    const { fleet, nodes, before } = await cluster();
    fleet.sim.setRebootBehaviour(nodes[0], 'noop');
    const r = await startRollout(stack, {
      selector: { nodes },
      timeouts: { preflight: 5, maintenance: 20, migrate: 20, reboot: 4, health: 20 },
    });
    const end = await waitForRollout(stack, r.id, ENDED);
    expect(end.status).toBe('halted');
    expect(node(end, nodes[0]).detail).toMatch(
      /failed at upgrade: reboot did not happen: the node still answers with boot id \S+ after 4 s/,
    );
    expect(fleet.sim.state(nodes[0]).bootId).toBe(before[nodes[0]].bootId);
    expect(fleet.sim.state(nodes[0]).maintenance).toBe(true);
  });

  it('a node that never comes back after its reboot is reported and halts the rollout', T, async () => {
    const { fleet, nodes } = await cluster();
    fleet.sim.setRebootBehaviour(nodes[0], 'hang');
    const r = await startRollout(stack, {
      selector: { nodes },
      timeouts: { preflight: 5, maintenance: 20, migrate: 20, reboot: 4, health: 20 },
    });
    const end = await waitForRollout(stack, r.id, ENDED);
    expect(end.status).toBe('halted');
    expect(node(end, nodes[0]).detail).toMatch(/failed at upgrade: node did not come back within 4 s after reboot/);
    expect(node(end, nodes[1]).detail).toMatch(/^not started/);
    fleet.sim.setRebootBehaviour(nodes[0], 'normal');
  });

  it('quorum lost mid-rollout: the next batch waits for it, then halts with the reason', T, async () => {
    const { fleet, nodes } = await cluster();
    const clusterName = fleet.sim.info(nodes[0]).cluster;
    const r = await startRollout(stack, {
      selector: { nodes },
      timeouts: { preflight: 3, maintenance: 20, migrate: 20, reboot: 20, health: 20 },
    });
    await waitForNode(stack, r.id, nodes[0], 'done');
    fleet.sim.breakQuorum(clusterName);
    const end = await waitForRollout(stack, r.id, ENDED);
    fleet.sim.restoreQuorum(clusterName);
    expect(end.status).toBe('halted');
    expect(end.reason).toMatch(new RegExp(`^cluster ${clusterName} failed its pre-flight before batch 2: .*not quorate`));
    expect([node(end, nodes[1]).state, node(end, nodes[1]).detail]).toEqual(['not_started', 'not started (the rollout halted)']);
    expect((await rolloutEvents(stack, r.id)).some((e) => e.startsWith(`halting: cluster ${clusterName} failed its pre-flight`))).toBe(
      true,
    );
  });

  it('quorum back within the wait: the rollout just goes on', T, async () => {
    const { fleet, nodes } = await cluster();
    const clusterName = fleet.sim.info(nodes[0]).cluster;
    const r = await startRollout(stack, {
      selector: { nodes },
      timeouts: { preflight: 30, maintenance: 20, migrate: 20, reboot: 20, health: 20 },
    });
    await waitForNode(stack, r.id, nodes[0], 'done');
    fleet.sim.breakQuorum(clusterName);
    setTimeout(() => {
      fleet.sim.restoreQuorum(clusterName);
    }, 2_000);
    const end = await waitForRollout(stack, r.id, ENDED);
    expect(end.status, await explain(r.id)).toBe('completed');
  });
});

async function waitForNode(stack: Stack, id: number, name: string, state: string): Promise<void> {
  await eventually(
    async () => {
      const r = (await stack.http.get(`/rollouts/${id}`)).body as RolloutJson;
      return r.nodes.find((n) => n.node === name)?.state === state ? true : undefined;
    },
    120_000,
    `${name} to be ${state}`,
  );
}
