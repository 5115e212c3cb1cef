import { describe, expect, it } from 'vitest';
import { parseUpgradable } from './upgradable';

// pve-commands.md §2.3 (field samples, tty form).
const NOTES = `Listing... Done
pve-manager/stable 8.4.17 all [upgradable from: 8.4.16]
proxmox-kernel-6.8/stable 6.8.12-20 all [upgradable from: 6.8.12-18]
linux-libc-dev/oldstable-security 6.1.164-1 amd64 [upgradable from: 6.1.162-1]`;

// Simulator, PVE 9 with Ceph (non-tty form: `Listing...` without `Done`).
const SIM_PVE9 =
  'Listing...\nbase-files/stable 13.8+deb13u2 all [upgradable from: 13.8+deb13u1]\nceph/stable 19.2.3-pve3 amd64 [upgradable from: 19.2.3-pve2]\nopenssh-server/oldstable-security 1:9.2p1-2+deb12u8 amd64 [upgradable from: 1:9.2p1-2+deb12u7]\nproxmox-kernel-6.17/stable 6.17.4-2 all [upgradable from: 6.17.2-1]';

describe('parseUpgradable', () => {
  it('reads the notes sample', () => {
    expect(parseUpgradable(NOTES)).toEqual([
      { name: 'pve-manager', suite: 'stable', version: '8.4.17', arch: 'all', from: '8.4.16' },
      { name: 'proxmox-kernel-6.8', suite: 'stable', version: '6.8.12-20', arch: 'all', from: '6.8.12-18' },
      { name: 'linux-libc-dev', suite: 'oldstable-security', version: '6.1.164-1', arch: 'amd64', from: '6.1.162-1' },
    ]);
  });

  it('reads simulator output, epochs in versions included', () => {
    const list = parseUpgradable(SIM_PVE9);
    expect(list?.map((p) => p.name)).toEqual(['base-files', 'ceph', 'openssh-server', 'proxmox-kernel-6.17']);
    expect(list?.[2]).toEqual({
      name: 'openssh-server',
      suite: 'oldstable-security',
      version: '1:9.2p1-2+deb12u8',
      arch: 'amd64',
      from: '1:9.2p1-2+deb12u7',
    });
  });

  it('skips WARNING, blank and other lines; keeps comma suites', () => {
    const text =
      "\nWARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n\nListing...\nfoo/stable,now 2.0 amd64 [upgradable from: 1.0]\nN: There is 1 additional version. Please use the '-a' switch to see it\nbar/stable 1.0 amd64 [installed]\n";
    expect(parseUpgradable(text)).toEqual([{ name: 'foo', suite: 'stable,now', version: '2.0', arch: 'amd64', from: '1.0' }]);
  });

  it('is [] when apt listed nothing and null when apt printed nothing', () => {
    expect(parseUpgradable('Listing...')).toEqual([]);
    expect(parseUpgradable('Listing... Done\n')).toEqual([]);
    expect(parseUpgradable('')).toBeNull();
    expect(parseUpgradable('bash: apt: command not found')).toBeNull();
  });
});
