import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Stack } from '../support/stack';
import { TestFleet } from '../support/fleet';
import { rolloutEvents, type RolloutJson, simulatedCluster, startRollout, waitForRollout } from '../support/rollouts';

const T = { timeout: 300_000 };
const ENDED = ['completed', 'halted', 'failed', 'aborted'];

interface GuestRow {
  vmid: number;
  from: string;
  to: string;
  returned: boolean;
  now: string;
}

/**
 * Where a rollout puts guests (issue 12, item 2): spread by free memory over the eligible nodes,
 * never onto a node without room, and back home afterwards with returnGuests. Read back from the
 * simulator: where every guest is, and whether any was running when its node rebooted.
 */
describe('rollouts and the guests they move', () => {
  let stack: Stack;
  const fleets: TestFleet[] = [];
  const explain = async (id: number) => (await rolloutEvents(stack, id)).join('\n');
  const guestsOf = (r: RolloutJson, node: string) => (r.nodes.find((n) => n.node === node) as unknown as { guests: GuestRow[] }).guests;
  const allGuests = (fleet: TestFleet, node: string) => fleet.sim.clusterState(fleet.sim.info(node).cluster).guests;

  beforeAll(async () => {
    stack = await Stack.start({ workers: 2, env: { PVEFLEET_ROLLOUT_TICK_MS: '100' } });
  });
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- beforeAll may have failed before assigning it
    await Promise.all([stack?.stop(), ...fleets.map((f) => f.stop())]);
  });

  it('5 nodes: each evacuation spreads its guests, they come back home, and none ran during a reboot', T, async () => {
    const { fleet, nodes } = await simulatedCluster(stack, fleets, { nodes: 5 });
    const home = new Map(allGuests(fleet, nodes[0]).map((g) => [g.vmid, g.node]));
    const r = await startRollout(stack, { selector: { nodes } });
    const end = await waitForRollout(stack, r.id, ENDED, 280_000);
    expect(end.status, await explain(r.id)).toBe('completed');
    for (const g of allGuests(fleet, nodes[0]))
      expect({ vmid: g.vmid, node: g.node, status: g.status, killed: g.killedByNodeDown }).toEqual({
        vmid: g.vmid,
        node: home.get(g.vmid),
        status: 'running',
        killed: 0,
      });
    for (const node of nodes) {
      expect(fleet.sim.counters(node).reboots).toBe(1);
      const moved = guestsOf(end, node);
      // The two guests HA does not manage left through the evacuation: to two different nodes, and back.
      expect(moved).toHaveLength(2);
      expect(new Set(moved.map((g) => g.to)).size).toBe(2);
      for (const g of moved) expect(g).toMatchObject({ from: node, returned: true, now: node });
      expect(moved.every((g) => g.to !== node && nodes.includes(g.to))).toBe(true);
    }
  });

  it('returnGuests false: the guests stay where they were placed, no node holds more than its share of memory + one guest', T, async () => {
    const { fleet, nodes } = await simulatedCluster(stack, fleets, { nodes: 5 });
    const r = await startRollout(stack, { selector: { nodes }, returnGuests: false });
    const end = await waitForRollout(stack, r.id, ENDED, 280_000);
    expect(end.status, await explain(r.id)).toBe('completed');
    const guests = allGuests(fleet, nodes[0]);
    // Placement balances memory (most free first), so that is what is even: no node above its share by
    // more than the largest guest. By count, a node of small containers may hold one or two more.
    const memOn = (n: string) => guests.filter((g) => g.node === n).reduce((sum, g) => sum + g.memMb, 0);
    const memShare = guests.reduce((sum, g) => sum + g.memMb, 0) / nodes.length;
    const largest = Math.max(...guests.map((g) => g.memMb));
    const spread = nodes.map((n) => `${n}: ${guests.filter((g) => g.node === n).length} guests, ${memOn(n)} MiB`).join('; ');
    for (const n of nodes) expect(memOn(n), spread).toBeLessThanOrEqual(memShare + largest);
    const countShare = Math.ceil(guests.length / nodes.length);
    for (const n of nodes) expect(guests.filter((g) => g.node === n).length, spread).toBeLessThanOrEqual(countShare + 2);
    expect(guests.every((g) => g.status === 'running' && g.killedByNodeDown === 0)).toBe(true);
    // The view follows a guest that a later evacuation moved on: `now` is where the simulator has it.
    for (const node of nodes)
      for (const g of guestsOf(end, node))
        expect(g).toMatchObject({ from: node, returned: false, now: guests.find((x) => x.vmid === g.vmid)!.node });
  });

  it('no node has room for a guest: the evacuation fails with the numbers, nothing is rebooted or overfilled', T, async () => {
    const { fleet, nodes, before } = await simulatedCluster(stack, fleets, { nodes: 3 });
    const cluster = fleet.sim.cluster(fleet.sim.info(nodes[0]).cluster);
    const big = cluster.guestsOn(nodes[0]).find((g) => !g.ha && g.type === 'qemu')!;
    big.memMb = 40_000;
    const r = await startRollout(stack, { selector: { nodes } });
    const end = await waitForRollout(stack, r.id, ENDED);
    expect(end.status, await explain(r.id)).toBe('halted');
    const row = end.nodes.find((n) => n.node === nodes[0])!;
    expect(row).toMatchObject({ state: 'failed', step: 'evacuate' });
    // Each other node: 32 GB (31984 MiB), 2 GiB for the host, its own 2 VMs and CT running, and one of them the HA guest too.
    expect(row.detail).toMatch(
      new RegExp(
        `^failed at evacuate: no node has room for VM ${big.vmid}: it needs 40000 MiB, the node with the most free memory, \\S+, has 2[0-9]{4} MiB free \\(of ${nodes[1]}, ${nodes[2]}\\)`,
      ),
    );
    expect(fleet.sim.counters(nodes[0]).reboots).toBe(before[nodes[0]].counters.reboots);
    expect(cluster.guests.get(big.vmid)).toMatchObject({ node: nodes[0], status: 'running' });
  });
});
