import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../simulator';
import { startTestSim, waitFor } from '../testing/sim-harness';

describe('cluster, HA and migration', () => {
  let sim: Simulator;
  afterEach(() => sim.stop());

  it('pvecm status follows membership; exit 2 when not quorate', async () => {
    sim = await startTestSim();
    const ok = await sim.exec('pve1', 'pvecm status');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Quorate:          Yes\n');
    expect(ok.stdout).toContain('Quorum:           2 \nFlags:            Quorate \n');
    expect(ok.stdout).toMatch(/\n0x00000001 {10}1 10\.\d+\.\d+\.\d+ \(local\)\n/);
    sim.setOffline('pve3');
    const degraded = await sim.exec('pve1', 'pvecm status');
    expect(degraded.code).toBe(0);
    expect(degraded.stdout).toContain('Total votes:      2\n');
    sim.setOffline('pve2');
    const lost = await sim.exec('pve1', 'pvecm status');
    expect(lost.code).toBe(2);
    expect(lost.stdout).toContain('Quorate:          No\n');
    expect(lost.stdout).toContain('Quorum:           2 Activity blocked\n');
    await sim.setOnline('pve2');
    await sim.setOnline('pve3');
    sim.breakQuorum('lab');
    expect((await sim.exec('pve2', 'pvecm status')).code).toBe(2);
    expect((await sim.exec('pve2', 'ha-manager status')).stdout.split('\n')[0]).toBe("quorum No quorum on node 'pve2'!");
    sim.restoreQuorum('lab');
    expect((await sim.exec('pve2', 'pvecm status')).code).toBe(0);
  });

  it('maintenance mode moves HA guests away after a delay and back on disable', async () => {
    sim = await startTestSim();
    const status = await sim.exec('pve1', 'ha-manager status');
    expect(status.stdout).toMatch(/^quorum OK\nmaster pve1 \(active, \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\)\nlrm pve1 \(active, /);
    expect(status.stdout).toContain('service vm:100 (pve1, started)\n');
    expect(await sim.exec('pve2', 'ha-manager crm-command node-maintenance enable pve1')).toEqual({ stdout: '', stderr: '', code: 0 });
    await waitFor(() => !sim.state('pve1').guests.some((g) => g.ha));
    const after = (await sim.exec('pve1', 'ha-manager status')).stdout;
    expect(after).toMatch(/\nlrm pve1 \(maintenance mode, /);
    expect(after).toMatch(/service vm:100 \(pve[23], started\)/);
    expect(sim.state('pve1').guests.map((g) => g.vmid)).toEqual([101, 102]);
    await sim.exec('pve1', 'ha-manager crm-command node-maintenance disable pve1');
    await waitFor(() => sim.state('pve1').guests.some((g) => g.vmid === 100));
    expect((await sim.exec('pve1', 'ls /etc/pve/nodes/pve1/qemu-server')).stdout).toBe('100.conf\n101.conf\n');
  });

  it('migrateall moves every guest to the target; a failing guest stays behind', async () => {
    sim = await startTestSim();
    sim.failMigration(101);
    const r = await sim.exec('pve1', 'pvenode migrateall pve2 --max-workers 2');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'Check VM 100: precondition check passed\nMigrating VM 100\nCheck VM 101: precondition check passed\nMigrating VM 101\nMigrating CT 102\nAll jobs finished, used 3 workers in total.\n',
    );
    expect(sim.state('pve1').guests.map((g) => g.vmid)).toEqual([101]);
    expect((await sim.exec('pve2', 'qm list')).stdout).toContain('       100 vm-100               running    2048              32.00 ');
    expect((await sim.exec('pve2', 'pct list')).stdout).toContain('102        running                 ct-102              \n');
    const toSelf = await sim.exec('pve1', 'pvenode migrateall pve1 --max-workers 1');
    expect(toSelf.code).toBe(255);
    expect(toSelf.stderr).toContain('target: target is local node.');
    expect((await sim.exec('pve1', 'pvenode migrateall pve2')).stderr).toContain(
      "either 'max-workers' parameter or max_workers in datacenter.cfg must be set!",
    );
  });

  it('qm migrate logs like the task and exits 255 when the migration fails', async () => {
    sim = await startTestSim();
    expect(await sim.exec('pve1', 'qm migrate 100 pve2')).toMatchObject({
      code: 255,
      stderr: "can't migrate running VM without --online\n",
    });
    sim.failMigration(100, 'Host key verification failed.');
    const failed = await sim.exec('pve1', 'qm migrate 100 pve2 --online');
    expect(failed.code).toBe(255);
    expect(failed.stdout).toMatch(
      /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ERROR: migration aborted \(duration 00:00:00\): Host key verification failed\.\n$/,
    );
    expect(failed.stderr).toBe('migration aborted\n');
    sim.clearMigrationFailure(100);
    const ok = await sim.exec('pve1', 'qm migrate 100 pve2 --online');
    expect(ok.stdout).toMatch(/migration finished successfully \(duration 00:00:00\)\n$/);
    expect((await sim.exec('pve1', 'pct migrate 102 pve3 --restart')).code).toBe(0);
    expect((await sim.exec('pve1', 'qm list')).stdout).not.toContain('vm-100');
  });
});
