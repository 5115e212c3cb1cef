import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../simulator';
import { startTestSim } from '../testing/sim-harness';

describe('systemctl', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startTestSim({
      clusters: [
        { name: 'lab', nodes: 1, namePrefix: 'pve' },
        { name: 'new', nodes: 1, namePrefix: 'nine', pveMajor: 9 },
      ],
    });
  });
  afterAll(() => sim.stop());

  it('prints one line per unit and exits 0 if any is active', async () => {
    expect(await sim.exec('pve1', 'systemctl is-active corosync pve-cluster pvedaemon pveproxy pve-ha-lrm')).toEqual({
      stdout: 'active\nactive\nactive\nactive\nactive\n',
      stderr: '',
      code: 0,
    });
    await sim.exec('pve1', 'systemctl stop pve-ha-lrm');
    expect(await sim.exec('pve1', 'systemctl is-active pve-ha-lrm pveproxy')).toMatchObject({ stdout: 'inactive\nactive\n', code: 0 });
    expect(await sim.exec('pve1', 'systemctl is-active pve-ha-lrm')).toMatchObject({ stdout: 'inactive\n', code: 3 });
  });

  it('treats missing units like systemd 252 (exit 3) and 257 (exit 4)', async () => {
    expect(await sim.exec('pve1', 'systemctl is-active nosuch.service')).toMatchObject({ stdout: 'inactive\n', code: 3 });
    expect(await sim.exec('nine1', 'systemctl is-active nosuch.service')).toMatchObject({ stdout: 'inactive\n', code: 4 });
    expect(await sim.exec('pve1', 'systemctl restart nosuch')).toMatchObject({
      stderr: 'Failed to restart nosuch.service: Unit nosuch.service not found.\n',
      code: 5,
    });
  });
});
