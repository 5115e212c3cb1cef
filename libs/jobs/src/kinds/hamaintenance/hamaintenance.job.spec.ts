import { beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '@pvefleet/simulator';
import { planView } from '../../job-kind';
import { runPlan } from '../clustercheck/run-plan.spec-helper';
import { haMaintenanceJob, haMaintenanceSpec } from './hamaintenance.job';
import { enterProblems, leaveProblems } from './maintenance-state';

// pve-outputs §6.3 / pve-commands §3.1: the 2026 wording, pve2 entering maintenance, vm:101 on its way.
const ENTERING = `quorum OK
master pve1 (active, Sat Oct  3 14:02:11 2026)
fencing armed (CRM watchdog active)
lrm pve1 (active, watchdog active, Sat Oct  3 14:02:12 2026)
lrm pve2 (maintenance mode, watchdog released, Sat Oct  3 14:02:15 2026)
service vm:100 (pve1, started)
service vm:101 (pve2, migrate)
`;

describe('hamaintenance state', () => {
  it('is not done while a service is still on the node, nor before the LRM shows maintenance', () => {
    expect(enterProblems(ENTERING, 'pve2')).toEqual(['HA services still on pve2: vm:101 (migrate)']);
    expect(enterProblems(ENTERING.replace('service vm:101 (pve2, migrate)', 'service vm:101 (pve1, started)'), 'pve2')).toEqual([]);
    expect(enterProblems(ENTERING, 'pve1')).toEqual(['lrm pve1 is active', 'HA services still on pve1: vm:100 (started)']);
    expect(enterProblems('quorum OK\n', 'pve2')).toEqual(['ha-manager status shows no lrm for pve2']);
    expect(enterProblems("quorum No quorum on node 'pve2'!\nlrm pve2 (maintenance mode, Sat Oct  3 14:02:15 2026)\n", 'pve2')).toEqual([
      'HA manager has no quorum',
    ]);
  });

  it('is back once the LRM works again', () => {
    expect(leaveProblems(ENTERING, 'pve2')).toEqual(['lrm pve2 is maintenance mode']);
    expect(leaveProblems(ENTERING, 'pve1')).toEqual([]);
    expect(leaveProblems('quorum OK\nlrm pve3 (idle, Sat Oct  3 14:02:13 2026)\n', 'pve3')).toEqual([]);
    expect(leaveProblems('quorum OK\n', 'pve3')).toEqual([]);
    expect(leaveProblems('quorum OK\nlrm pve3 (old timestamp - dead?, Sat Oct  3 14:02:13 2026)\n', 'pve3')).toEqual([
      'lrm pve3 is old timestamp - dead?',
    ]);
  });
});

describe('hamaintenance plan', () => {
  it('reads, requests only when needed, waits and verifies; disable also records pveversion', () => {
    const enable = haMaintenanceJob.plan(haMaintenanceSpec.parse({ node: 'pve2', enable: true }), null);
    expect(enable.steps.map((s) => s.command)).toEqual([
      'ha-manager status',
      'ha-manager crm-command node-maintenance enable pve2',
      'ha-manager status',
    ]);
    expect(planView(enable).steps).toMatchObject([
      {},
      { onlyIf: 'pve2 is not in maintenance mode yet' },
      { retryUntil: 'pve2 in maintenance mode with no HA service on it', verifies: true },
    ]);
    expect(enable.steps[2].retry?.timeoutMs).toBe(300_000);
    const disable = haMaintenanceJob.plan(haMaintenanceSpec.parse({ node: 'pve2', enable: false, waitSeconds: 20 }), null);
    expect(disable.steps.map((s) => s.command)).toEqual([
      'ha-manager status',
      'ha-manager crm-command node-maintenance disable pve2',
      'ha-manager status',
      'pveversion',
    ]);
    expect(planView(disable).steps[1].onlyIf).toBe('pve2 is in maintenance mode');
    expect(haMaintenanceJob.objectId!({ node: 'pve2', enable: true, waitSeconds: 1 })).toBe('pve2');
    expect(haMaintenanceJob.mutating).toBe(true);
  });

  it('validates the node name and the other fields', () => {
    for (const node of ['pve2;reboot', '$(id)', '`id`', 'a\nb', "pve'2", '../pve2', '-pve2', 'x'.repeat(64), '']) {
      expect(haMaintenanceSpec.safeParse({ node, enable: true }).success, node).toBe(false);
    }
    expect(haMaintenanceSpec.safeParse({ enable: true }).success).toBe(false);
    expect(haMaintenanceSpec.safeParse({ node: 'pve2' }).success).toBe(false);
    expect(haMaintenanceSpec.safeParse({ node: 'pve2', enable: 'yes' }).success).toBe(false);
    expect(haMaintenanceSpec.safeParse({ node: 'pve2', enable: true, waitSeconds: -1 }).success).toBe(false);
  });
});

describe('hamaintenance against the simulator', () => {
  let sim: Simulator;
  const exec = async (cmd: string) => sim.exec('pve1', cmd);
  const nodeOf = (vmid: number) => ['pve1', 'pve2', 'pve3'].find((n) => sim.state(n).guests.some((g) => g.vmid === vmid));

  beforeAll(async () => {
    sim = await startSimulator({
      controlPort: false,
      seed: 5,
      clusters: [{ name: 'lab', nodes: 3, namePrefix: 'pve' }],
      haDelayMs: 30,
      migrationDelayMs: 1,
    });
    // The suite's teardown, registered only once the simulator runs.
    return () => sim.stop();
  });

  it('enable moves the HA guest away; again it changes nothing; disable brings it back', async () => {
    const haVm = sim.state('pve2').guests.find((g) => g.ha)!.vmid;
    const spec = haMaintenanceSpec.parse({ node: 'pve2', enable: true, waitSeconds: 5 });
    const run = await runPlan(haMaintenanceJob.plan(spec, null), exec);
    expect(run.error).toBeUndefined();
    expect(run.ran.length).toBeGreaterThan(3); // waited for HA
    expect(nodeOf(haVm)).not.toBe('pve2');
    expect(sim.state('pve2').maintenance).toBe(true);
    expect(haMaintenanceJob.finish!(spec, run.outputs, { facts: null, now: 0 }).result).toMatchObject({
      node: 'pve2',
      maintenance: true,
      changed: true,
      servicesOnNode: [],
      movedServices: [{ sid: `vm:${haVm}`, to: nodeOf(haVm) }],
    });

    const again = await runPlan(haMaintenanceJob.plan(spec, null), exec);
    expect(again.error).toBeUndefined();
    expect(again.skipped).toEqual(['ha-manager crm-command node-maintenance enable pve2']);
    expect(haMaintenanceJob.finish!(spec, again.outputs, { facts: null, now: 0 }).result).toMatchObject({ changed: false });

    const off = haMaintenanceSpec.parse({ node: 'pve2', enable: false, waitSeconds: 5 });
    const back = await runPlan(haMaintenanceJob.plan(off, null), exec);
    expect(back.error).toBeUndefined();
    expect(sim.state('pve2').maintenance).toBe(false);
    expect(haMaintenanceJob.finish!(off, back.outputs, { facts: null, now: 0 }).result).toMatchObject({
      node: 'pve2',
      maintenance: false,
      changed: true,
      pveManagerVersion: sim.state('pve1').pveVersion,
    });
  });

  it('fails naming the HA service that would not leave', async () => {
    const haVm = sim.state('pve3').guests.find((g) => g.ha)!.vmid;
    sim.failMigration(haVm);
    try {
      const run = await runPlan(haMaintenanceJob.plan(haMaintenanceSpec.parse({ node: 'pve3', enable: true, waitSeconds: 1 }), null), exec);
      expect(run.error).toMatch(
        new RegExp(
          `^pve3 in maintenance mode with no HA service on it \\(last check: HA services still on pve3: vm:${haVm} \\((started|migrate)\\)\\): not reached within 1 s`,
        ),
      );
      expect(nodeOf(haVm)).toBe('pve3');
    } finally {
      sim.clearMigrationFailure(haVm);
      await runPlan(haMaintenanceJob.plan(haMaintenanceSpec.parse({ node: 'pve3', enable: false, waitSeconds: 5 }), null), exec);
    }
  });
});
