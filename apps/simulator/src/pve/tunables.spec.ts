import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../simulator';
import { startTestSim } from '../testing/sim-harness';

describe('sysctl, ZFS ARC limit, apt-mark holds, /etc/pve/status.cfg, out-of-band edits', () => {
  let sim: Simulator;
  afterEach(() => sim.stop());

  it('sysctl reads and writes /proc/sys; -p and --system apply the files (seed: SWAP on ZFS)', async () => {
    sim = await startTestSim();
    expect(await sim.exec('pve1', 'sysctl vm.swappiness')).toEqual({ stdout: 'vm.swappiness = 60\n', stderr: '', code: 0 });
    expect((await sim.exec('pve1', 'sysctl -w vm.swappiness=10 && sysctl -n vm.swappiness && cat /proc/sys/vm/swappiness')).stdout).toBe(
      'vm.swappiness = 10\n10\n10\n',
    );
    expect(await sim.exec('pve1', 'sysctl vm.nosuch')).toMatchObject({
      code: 255,
      stderr: 'sysctl: cannot stat /proc/sys/vm/nosuch: No such file or directory\n',
    });
    sim.writeFile('pve1', '/etc/sysctl.d/80-swappiness.conf', '# pvefleet\nvm.swappiness = 1\n');
    const system = await sim.exec('pve1', 'sysctl --system');
    expect(system.stdout).toContain(
      '* Applying /etc/sysctl.d/80-swappiness.conf ...\nvm.swappiness = 1\n* Applying /etc/sysctl.d/99-sysctl.conf ...\n',
    );
    expect(system.code).toBe(0);
    expect((await sim.exec('pve1', 'sysctl -n vm.swappiness')).stdout).toBe('1\n');
    expect((await sim.exec('pve1', 'sysctl -p /etc/sysctl.d/80-swappiness.conf')).stdout).toBe('vm.swappiness = 1\n');
    expect((await sim.exec('pve1', 'echo 30 > /proc/sys/vm/swappiness && sysctl vm.swappiness')).stdout).toBe('vm.swappiness = 30\n');
    expect((await sim.exec('pve1', 'echo 1 > /proc/uptime')).code).not.toBe(0);
  });

  it('zfs_arc_max is a writable module parameter; /etc/modprobe.d/zfs.conf holds the persistent limit', async () => {
    sim = await startTestSim();
    expect((await sim.exec('pve1', 'cat /sys/module/zfs/parameters/zfs_arc_max')).stdout).toBe('0\n');
    expect((await sim.exec('pve1', 'ls /etc/modprobe.d')).stdout).toBe('pve-blacklist.conf\n');
    const apply =
      'echo "options zfs zfs_arc_max=8589934592" > /etc/modprobe.d/zfs.conf && echo 8589934592 > /sys/module/zfs/parameters/zfs_arc_max';
    expect((await sim.exec('pve1', apply)).code).toBe(0);
    expect((await sim.exec('pve1', 'cat /sys/module/zfs/parameters/zfs_arc_max /etc/modprobe.d/zfs.conf')).stdout).toBe(
      '8589934592\noptions zfs zfs_arc_max=8589934592\n',
    );
    expect((await sim.exec('pve2', 'cat /sys/module/zfs/parameters/zfs_arc_max')).stdout).toBe('0\n');
  });

  it('apt-mark hold, unhold and showhold with apt messages', async () => {
    sim = await startTestSim();
    expect((await sim.exec('pve1', 'apt-mark hold proxmox-ve pve-manager')).stdout).toBe(
      'proxmox-ve set on hold.\npve-manager set on hold.\n',
    );
    expect((await sim.exec('pve1', 'apt-mark hold proxmox-ve')).stdout).toBe('proxmox-ve was already set on hold.\n');
    expect((await sim.exec('pve1', 'apt-mark showhold')).stdout).toBe('proxmox-ve\npve-manager\n');
    expect((await sim.exec('pve1', 'apt-mark unhold pve-manager')).stdout).toBe('Canceled hold on pve-manager.\n');
    expect((await sim.exec('pve1', 'apt-mark unhold pve-manager')).stdout).toBe('pve-manager was already not on hold.\n');
    expect(await sim.exec('pve1', 'apt-mark hold nosuch-package')).toMatchObject({
      code: 100,
      stderr: 'E: Unable to locate package nosuch-package\n',
    });
    expect((await sim.exec('pve2', 'apt-mark showhold')).stdout).toBe('');
  });

  it('a held package is kept back by dist-upgrade and stays listed as upgradable', async () => {
    sim = await startTestSim();
    await sim.exec('pve1', 'apt-get update');
    const before = sim.node('pve1').packages.get('pve-manager');
    expect((await sim.exec('pve1', 'apt list --upgradable')).stdout).toContain('pve-manager/');
    await sim.exec('pve1', 'apt-mark hold pve-manager');
    const run = await sim.exec('pve1', 'DEBIAN_FRONTEND=noninteractive apt-get -y dist-upgrade');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/The following packages have been kept back:\n {2}pve-manager\n/);
    expect(sim.node('pve1').packages.get('pve-manager')).toBe(before);
    expect((await sim.exec('pve1', 'apt list --upgradable')).stdout).toContain('pve-manager/');
  });

  it('status.cfg is cluster-wide in pmxcfs; the control API writes and removes files out of band', async () => {
    sim = await startTestSim();
    expect(sim.readFile('pve1', '/etc/pve/status.cfg')).toBeUndefined();
    const cfg =
      'graphite: graphite1\n\tserver 10.0.0.50\n\tport 2003\n\tpath proxmox\n\ninfluxdb: influx1\n\tserver 10.0.0.51\n\tport 8089\n\n';
    expect((await sim.exec('pve1', `printf '%s' '${cfg}' > /etc/pve/status.cfg`)).code).toBe(0);
    expect(sim.readFile('pve3', '/etc/pve/status.cfg')).toBe(cfg);
    sim.writeFile('pve2', '/etc/chrony/sources.d/rogue.sources', 'server 192.0.2.1 iburst\n');
    expect((await sim.exec('pve2', 'cat /etc/chrony/sources.d/rogue.sources')).stdout).toBe('server 192.0.2.1 iburst\n');
    expect(sim.readFile('pve1', '/etc/chrony/sources.d/rogue.sources')).toBeUndefined();
    expect(sim.removeFile('pve2', '/etc/chrony/sources.d/rogue.sources')).toBe(true);
    expect(sim.removeFile('pve2', '/etc/chrony/sources.d/rogue.sources')).toBe(false);
  });
});
