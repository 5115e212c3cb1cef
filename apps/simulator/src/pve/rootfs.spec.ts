import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../simulator';
import { startTestSim } from '../testing/sim-harness';

describe('findmnt and update-initramfs (the ARC limit on a ZFS root)', () => {
  let sim: Simulator;
  afterEach(() => sim.stop());

  it("findmnt reads the root's type from /proc/mounts: ext4 on LVM, or ZFS", async () => {
    sim = await startTestSim();
    expect(await sim.exec('pve1', 'findmnt -n -o FSTYPE /')).toEqual({ stdout: 'ext4\n', stderr: '', code: 0 });
    expect((await sim.exec('pve1', 'findmnt -o SOURCE,FSTYPE /')).stdout).toBe('SOURCE FSTYPE\n/dev/mapper/pve-root ext4\n');
    expect((await sim.exec('pve1', 'findmnt /nosuch')).code).toBe(1);
    sim.node('pve1').rootFs = 'zfs';
    expect((await sim.exec('pve1', 'findmnt -n -o SOURCE,FSTYPE /')).stdout).toBe('rpool/ROOT/pve-1 zfs\n');
  });

  it('update-initramfs -u names the running kernel', async () => {
    sim = await startTestSim();
    const kernel = sim.node('pve1').runningKernel;
    expect(await sim.exec('pve1', 'update-initramfs -u')).toEqual({
      stdout: `update-initramfs: Generating /boot/initrd.img-${kernel}\n`,
      stderr: '',
      code: 0,
    });
  });
});
