import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../simulator';
import { startTestSim } from '../testing/sim-harness';

describe('identity programs', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startTestSim({
      clusters: [
        { name: 'old', nodes: 1, namePrefix: 'pve' },
        { name: 'new', nodes: 1, namePrefix: 'nine', pveMajor: 9 },
      ],
    });
  });
  afterAll(() => sim.stop());

  it('pveversion prints one line with the build hash and running kernel', async () => {
    expect((await sim.exec('pve1', 'pveversion')).stdout).toBe('pve-manager/8.4.11/14a32011146091ed (running kernel: 6.8.12-13-pve)\n');
    expect((await sim.exec('nine1', 'pveversion')).stdout).toBe('pve-manager/9.1.1/42db4a6cf33dac83 (running kernel: 6.17.2-1-pve)\n');
    expect(await sim.exec('pve1', 'pveversion --bogus')).toMatchObject({
      code: 255,
      stderr: 'Unknown option: bogus\nUSAGE: pveversion [--verbose]\n',
    });
  });

  it('pveversion -v orders proxmox-ve, pve-manager, kernels by version, then the fixed list', async () => {
    const lines = (await sim.exec('pve1', 'pveversion -v')).stdout.trimEnd().split('\n');
    expect(lines.slice(0, 6)).toEqual([
      'proxmox-ve: 8.4.0 (running kernel: 6.8.12-13-pve)',
      'pve-manager: 8.4.11 (running version: 8.4.11/14a32011146091ed)',
      'proxmox-kernel-helper: 8.1.4',
      expect.stringMatching(/^proxmox-kernel-6\.8(\.12-13-pve-signed)?: 6\.8\.12-13$/),
      expect.stringMatching(/^proxmox-kernel-6\.8(\.12-13-pve-signed)?: 6\.8\.12-13$/),
      'proxmox-kernel-6.8.12-11-pve-signed: 6.8.12-11',
    ]);
    expect(lines).toContain('glusterfs-client: 10.3-5');
    expect(lines.filter((l) => l.startsWith('proxmox-kernel-helper:'))).toHaveLength(2);
    const fixed = lines.slice(6);
    expect(fixed).toEqual([...fixed].sort());
  });

  it('uname, hostname, os-release and debian_version follow the release', async () => {
    expect((await sim.exec('pve1', 'uname -r; hostname; hostname -f')).stdout).toBe('6.8.12-13-pve\npve1\npve1.pvefleet.test\n');
    expect((await sim.exec('pve1', 'cat /etc/os-release')).stdout).toContain('VERSION_CODENAME=bookworm\n');
    const nine = (await sim.exec('nine1', 'cat /etc/os-release; cat /etc/debian_version')).stdout;
    expect(nine).toContain('PRETTY_NAME="Debian GNU/Linux 13 (trixie)"\n');
    expect(nine).toContain('DEBIAN_VERSION_FULL=13.1\n');
    expect(nine.trimEnd().endsWith('13.1')).toBe(true);
  });

  it('boot id, /proc/uptime and uptime -s have the kernel/procps shapes', async () => {
    const out = (await sim.exec('pve1', 'cat /proc/sys/kernel/random/boot_id; cat /proc/uptime; uptime -s')).stdout.split('\n');
    expect(out[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(out[1]).toMatch(/^\d+\.\d{2} \d+\.\d{2}$/);
    expect(out[2]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('never runs host programs: unknown names are bash errors', async () => {
    expect(await sim.exec('pve1', 'python3 -c "print(1)"')).toEqual({
      stdout: '',
      stderr: 'bash: python3: command not found\n',
      code: 127,
    });
  });
});
