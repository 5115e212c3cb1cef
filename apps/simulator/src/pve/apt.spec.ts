import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../simulator';
import { startTestSim } from '../testing/sim-harness';

const UPGRADE =
  'DEBIAN_FRONTEND=noninteractive apt-get -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold dist-upgrade';

describe('apt', () => {
  let sim: Simulator;
  afterEach(() => sim.stop());

  it('updates from the default no-subscription layout and lists upgrades in apt list format', async () => {
    sim = await startTestSim();
    const update = await sim.exec('pve1', 'apt-get update');
    expect(update.code).toBe(0);
    expect(update.stdout).toContain('Hit:4 http://download.proxmox.com/debian/pve bookworm InRelease\n');
    expect(update.stdout.endsWith('Reading package lists...\n')).toBe(true);
    const list = await sim.exec('pve1', 'LC_ALL=C apt list --upgradable');
    expect(list.stdout.split('\n')[0]).toBe('Listing...');
    expect(list.stdout).toContain('pve-manager/stable 8.4.16 all [upgradable from: 8.4.11]\n');
    expect(list.stdout).toContain('proxmox-kernel-6.8/stable 6.8.12-18 all [upgradable from: 6.8.12-13]\n');
    expect(list.stdout).toContain('linux-libc-dev/oldstable-security 6.1.164-1 amd64 [upgradable from: 6.1.162-1]\n');
    expect(list.stderr).toContain('WARNING: apt does not have a stable CLI interface. Use with caution in scripts.');
  });

  it('fails apt-get update with 401 / exit 100 on the enterprise repo without a subscription', async () => {
    sim = await startTestSim({ repositories: 'enterprise' });
    const r = await sim.exec('pve1', 'apt-get update');
    expect(r.code).toBe(100);
    expect(r.stdout).toContain(
      'Err:5 https://enterprise.proxmox.com/debian/pve bookworm InRelease\n  401  Unauthorized [IP: 51.91.38.34 443]\n',
    );
    expect(r.stderr).toContain(
      'E: Failed to fetch https://enterprise.proxmox.com/debian/pve/dists/bookworm/InRelease  401  Unauthorized [IP: 51.91.38.34 443]\n',
    );
    expect(sim.state('pve1').repositories.pve).toEqual(['enterprise']);
  });

  it('dist-upgrade installs the new kernel, which makes a reboot necessary; the next reboot runs it', async () => {
    sim = await startTestSim();
    expect(sim.state('pve1').rebootRequired).toBe(false);
    const r = await sim.exec('pve1', `apt-get update && ${UPGRADE}`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('The following NEW packages will be installed:\n  proxmox-kernel-6.8.12-18-pve-signed\n');
    expect(r.stdout).toMatch(/\d+ upgraded, 1 newly installed, 0 to remove and 0 not upgraded\.\n/);
    expect(r.stdout).toContain('Setting up pve-manager (8.4.16) ...\n');
    expect(r.stderr).toContain('run-parts: executing /etc/kernel/postinst.d/zz-proxmox-boot 6.8.12-18-pve /boot/vmlinuz-6.8.12-18-pve\n');
    const st = sim.state('pve1');
    expect(st.pveVersion).toBe('8.4.16');
    expect(st.rebootRequired).toBe(true);
    expect(st.nextBootKernel).toBe('6.8.12-18-pve');
    const again = await sim.exec('pve1', UPGRADE);
    expect(again.stdout).toContain('0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n');
  });

  it('dist-upgrade -d / --download-only fetches the archives and installs nothing', async () => {
    sim = await startTestSim();
    for (const flag of ['--download-only', '-d']) {
      const r = await sim.exec('pve1', `DEBIAN_FRONTEND=noninteractive apt-get -y ${flag} dist-upgrade`);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Get:1 ');
      expect(r.stdout.endsWith('Download complete and in download only mode\n')).toBe(true);
      expect(r.stdout).not.toContain('Setting up');
    }
    const st = sim.state('pve1');
    expect(st.pveVersion).toBe('8.4.11');
    expect(st.rebootRequired).toBe(false);
    expect((await sim.exec('pve1', 'apt list --upgradable 2>/dev/null | grep -c upgradable')).stdout.trim()).not.toBe('0');
  });

  it('asks and aborts without -y; fails on a held dpkg lock', async () => {
    sim = await startTestSim();
    const noYes = await sim.exec('pve1', 'apt-get dist-upgrade');
    expect(noYes).toMatchObject({ code: 1 });
    expect(noYes.stdout.endsWith('Do you want to continue? [Y/n] Abort.\n')).toBe(true);
    sim.holdAptLock('pve1');
    const locked = await sim.exec('pve1', UPGRADE);
    expect(locked.code).toBe(100);
    expect(locked.stderr).toBe(
      'E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 5198 (unattended-upgr)\nN: Be aware that removing the lock file is not a solution and may break your system.\nE: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another process using it?\n',
    );
    expect((await sim.exec('pve1', 'apt-get update')).stderr).toContain('E: Could not get lock /var/lib/apt/lists/lock.');
    sim.releaseAptLock('pve1');
    expect((await sim.exec('pve1', 'apt-get update')).code).toBe(0);
  });

  it('offers each channel its own versions (pvetest is newer than no-subscription)', async () => {
    sim = await startTestSim();
    await sim.exec('pve1', "sed -i 's/pve-no-subscription/pvetest/' /etc/apt/sources.list.d/pve-no-subscription.list && apt-get update");
    expect(sim.state('pve1').repositories.pve).toEqual(['test']);
    expect((await sim.exec('pve1', 'apt list --upgradable 2>/dev/null | grep ^pve-manager/')).stdout).toBe(
      'pve-manager/stable 8.4.17 all [upgradable from: 8.4.11]\n',
    );
  });

  it('takes a PVE 8 node to 9 after switching suites to trixie', async () => {
    sim = await startTestSim();
    const switchScript = [
      "sed -i 's/bookworm/trixie/g' /etc/apt/sources.list /etc/apt/sources.list.d/pve-no-subscription.list",
      'apt-get update',
      UPGRADE,
    ].join(' && ');
    expect((await sim.exec('pve1', switchScript)).code).toBe(0);
    const st = sim.state('pve1');
    expect(st.pveMajor).toBe(9);
    expect(st.pveVersion).toBe('9.1.4');
    expect(st.debian).toEqual({ major: 13, codename: 'trixie' });
    expect(st.nextBootKernel).toBe('6.17.4-2-pve');
    expect((await sim.exec('pve1', 'grep VERSION_CODENAME /etc/os-release')).stdout).toBe('VERSION_CODENAME=trixie\n');
  });
});
