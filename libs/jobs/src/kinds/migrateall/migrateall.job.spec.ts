import { beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '@pvefleet/simulator';
import type { NodeFacts } from '../../node-facts';
import { SpecError } from '../../spec-error';
import { runPlan } from '../clustercheck/run-plan.spec-helper';
import { parseGuestLists } from './guest-list';
import { migrateAllJob, migrateAllSpec } from './migrateall.job';

// pve-outputs §6.1 field sample (trailing spaces kept) and §6.2 (constructed from the format string).
const QM = `      VMID NAME                 STATUS     MEM(MB)    BOOTDISK(GB) PID       
       100 hmi-scada            running    2048               0.00 1695      
       102 historian-db         stopped    2048              32.00 0         
`;
const PCT = `VMID       Status     Lock         Name                
200        running                 adguard             
201        stopped    backup       pbs-client          
`;

describe('parseGuestLists', () => {
  it('reads qm and pct rows, with and without a lock', () => {
    expect(parseGuestLists(QM + PCT)).toEqual([
      { vmid: 100, type: 'qemu', name: 'hmi-scada', status: 'running' },
      { vmid: 102, type: 'qemu', name: 'historian-db', status: 'stopped' },
      { vmid: 200, type: 'lxc', name: 'adguard', status: 'running' },
      { vmid: 201, type: 'lxc', name: 'pbs-client', status: 'stopped' },
    ]);
  });

  it('reads either list alone (the other prints nothing without guests) and nothing from nothing', () => {
    expect(parseGuestLists(PCT).map((g) => g.vmid)).toEqual([200, 201]);
    expect(parseGuestLists(QM).map((g) => g.type)).toEqual(['qemu', 'qemu']);
    expect(parseGuestLists('')).toEqual([]);
  });
});

describe('migrateall plan', () => {
  it('lists, migrates with the options given, then waits on the lists', () => {
    const plan = migrateAllJob.plan(migrateAllSpec.parse({ target: 'pve3', maxWorkers: 4, withLocalDisks: true, waitSeconds: 120 }), null);
    expect(plan.steps.map((s) => s.command)).toEqual([
      'qm list && pct list',
      'pvenode migrateall pve3 --max-workers 4 --with-local-disks 1',
      'qm list && pct list',
    ]);
    expect(plan.steps[1].when?.describe).toBe('guests are on this node');
    expect(plan.steps[2].retry).toMatchObject({ timeoutMs: 120_000, describe: 'no guest running on this node' });
    expect(migrateAllJob.plan(migrateAllSpec.parse({ target: 'pve3' }), null).steps[1].command).toBe(
      'pvenode migrateall pve3 --max-workers 1',
    );
    expect(migrateAllJob.objectId!(migrateAllSpec.parse({ target: 'pve3' }))).toBe('pve3');
  });

  it('refuses this node as the target when the facts name it', () => {
    const facts = { hostname: 'pve3' } as NodeFacts;
    expect(() => migrateAllJob.plan(migrateAllSpec.parse({ target: 'pve3' }), facts)).toThrow(SpecError);
    expect(() => migrateAllJob.plan(migrateAllSpec.parse({ target: 'pve3' }), facts)).toThrow('params.target: is this node');
  });

  it('validates every field', () => {
    for (const target of ['pve3;reboot', '$(id)', '`id`', 'pve\n3', '"pve3"', '../pve3', 'x'.repeat(64)]) {
      expect(migrateAllSpec.safeParse({ target }).success, target).toBe(false);
    }
    for (const maxWorkers of [0, 65, 1.5, '2']) expect(migrateAllSpec.safeParse({ target: 'pve3', maxWorkers }).success).toBe(false);
    expect(migrateAllSpec.safeParse({ target: 'pve3', withLocalDisks: 1 }).success).toBe(false);
    expect(migrateAllSpec.safeParse({ target: 'pve3', waitSeconds: 0 }).success).toBe(false);
    expect(migrateAllSpec.safeParse({}).success).toBe(false);
  });
});

describe('migrateall against the simulator', () => {
  let sim: Simulator;
  const exec = (node: string) => async (cmd: string) => sim.exec(node, cmd);
  const onNode = (node: string) => sim.state(node).guests.map((g) => g.vmid);

  beforeAll(async () => {
    sim = await startSimulator({
      controlPort: false,
      seed: 9,
      clusters: [{ name: 'lab', nodes: 3, namePrefix: 'pve' }],
      haDelayMs: 1,
      migrationDelayMs: 5,
    });
    // The suite's teardown, registered only once the simulator runs.
    return () => sim.stop();
  });

  it('moves every guest to the target, and a second run has nothing to do', async () => {
    const guests = onNode('pve2');
    const spec = migrateAllSpec.parse({ target: 'pve3', maxWorkers: 2, waitSeconds: 5 });
    const run = await runPlan(migrateAllJob.plan(spec, null), exec('pve2'));
    expect(run.error).toBeUndefined();
    expect(onNode('pve2')).toEqual([]);
    expect(onNode('pve3')).toEqual(expect.arrayContaining(guests));
    const result = migrateAllJob.finish!(spec, run.outputs, { facts: null, now: 0 }).result!;
    expect((result.moved as { vmid: number }[]).map((g) => g.vmid)).toEqual(guests);
    expect(result.left).toEqual([]);

    const again = await runPlan(migrateAllJob.plan(spec, null), exec('pve2'));
    expect(again.error).toBeUndefined();
    expect(again.skipped).toEqual(['pvenode migrateall pve3 --max-workers 2']);
  });

  it('fails naming the guest that stayed, which is still on the node', async () => {
    const [stuck] = sim.state('pve1').guests.filter((g) => !g.ha && g.type === 'qemu');
    sim.failMigration(stuck.vmid);
    try {
      const run = await runPlan(migrateAllJob.plan(migrateAllSpec.parse({ target: 'pve3', waitSeconds: 1 }), null), exec('pve1'));
      expect(run.error).toBe(
        `no guest running on this node (last check: still running here: VM ${stuck.vmid} (running); the node was not upgraded): not reached within 1 s (last output above)`,
      );
      expect(onNode('pve1')).toEqual([stuck.vmid]);
    } finally {
      sim.clearMigrationFailure(stuck.vmid);
    }
  });
});
