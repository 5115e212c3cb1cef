import { beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '@pvefleet/simulator';
import { runPlan } from '../clustercheck/run-plan.spec-helper';
import { evacuateJob, evacuateSpec } from './evacuate.job';
import { returnGuestsJob, returnGuestsSpec } from './return-guests.job';

describe('evacuate and returnguests against the simulator', () => {
  let sim: Simulator;
  const exec = (node: string) => async (cmd: string) => sim.exec(node, cmd);
  const where = () => Object.fromEntries(sim.clusterState('lab').guests.map((g) => [g.vmid, g.node]));

  beforeAll(async () => {
    sim = await startSimulator({
      controlPort: false,
      seed: 12,
      clusters: [{ name: 'lab', nodes: 4, namePrefix: 'pve' }],
      haDelayMs: 1,
      migrationDelayMs: 2,
    });
    // The suite's teardown, registered only once the simulator runs.
    return () => sim.stop();
  });

  it('spreads pve1 over the others, a re-run moves nothing, and the return brings back exactly those, once', async () => {
    const home = where();
    const spec = evacuateSpec.parse({ targets: ['pve2', 'pve3', 'pve4'], waitSeconds: 5 });
    const run = await runPlan(evacuateJob.plan(spec, null), exec('pve1'));
    expect(run.error).toBeUndefined();
    const moved = evacuateJob.finish!(spec, run.outputs, { facts: null, now: 0 }).result!.moved as { vmid: number; to: string }[];
    expect(moved.map((m) => m.vmid)).toEqual(
      Object.keys(home)
        .map(Number)
        .filter((id) => home[id] === 'pve1'),
    );
    expect(new Set(moved.map((m) => m.to)).size).toBe(moved.length);
    expect(sim.state('pve1').guests).toEqual([]);

    // A step run again (after a crash, say) re-reads where guests are: nothing is left to move.
    const again = await runPlan(evacuateJob.plan(spec, null), exec('pve1'));
    expect(again.error).toBeUndefined();
    expect(again.ran.some((c) => c.includes('migrate'))).toBe(false);

    const back = returnGuestsSpec.parse({
      guests: moved.map((m) => ({ vmid: m.vmid, type: sim.clusterState('lab').guests.find((g) => g.vmid === m.vmid)!.type })),
      waitSeconds: 5,
    });
    const ret = await runPlan(returnGuestsJob.plan(back, null), exec('pve1'));
    expect(ret.error).toBeUndefined();
    expect(where()).toEqual(home);
    expect(returnGuestsJob.finish!(back, ret.outputs, { facts: null, now: 0 }).result).toMatchObject({
      node: 'pve1',
      returned: moved.map((m) => ({ vmid: m.vmid, from: m.to })),
      missing: [],
    });

    const twice = await runPlan(returnGuestsJob.plan(back, null), exec('pve1'));
    expect(twice.error).toBeUndefined();
    expect(twice.ran.some((c) => c.startsWith('pvesh create'))).toBe(false);
  });

  it('refuses with the numbers when a guest fits nowhere, and moves nothing', async () => {
    const big = sim.cluster('lab').guestsOn('pve2')[0];
    big.memMb = 40_000;
    try {
      const before = where();
      const run = await runPlan(evacuateJob.plan(evacuateSpec.parse({ targets: ['pve3'], waitSeconds: 5 }), null), exec('pve2'));
      expect(run.error).toMatch(
        new RegExp(
          `^no node has room for VM ${big.vmid}: it needs 40000 MiB, the node with the most free memory, pve3, has \\d+ MiB free \\(of pve3\\); the node was not upgraded$`,
        ),
      );
      expect(where()).toEqual(before);
    } finally {
      big.memMb = 2048;
    }
  });
});
