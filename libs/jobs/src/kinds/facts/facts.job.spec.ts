import { describe, expect, it } from 'vitest';
import { factsJob } from './facts.job';
import { parseFacts } from './parse-facts';

const OS_RELEASE_PVE8 = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
`;

describe('facts job', () => {
  it('is read-only and plans the exact commands', () => {
    expect(factsJob.mutating).toBe(false);
    expect(factsJob.plan({}, null).steps.map((s) => s.command)).toEqual([
      'hostname',
      'uname -r',
      'cat /etc/os-release',
      'cat /proc/uptime',
      'command -v pveversion >/dev/null 2>&1 && pveversion || true',
    ]);
  });

  it('rejects unknown params', () => {
    expect(factsJob.spec.safeParse({ extra: 1 }).success).toBe(false);
  });

  it('parses a PVE 8 node', () => {
    const facts = parseFacts({
      hostname: 'pve1\n',
      kernel: '6.8.12-13-pve\n',
      osRelease: OS_RELEASE_PVE8,
      uptime: '12345.67 40000.00\n',
      pveversion: 'pve-manager/8.4.11/14a32011146091ed (running kernel: 6.8.12-13-pve)\n',
    });
    expect(facts).toEqual({
      hostname: 'pve1',
      kernel: '6.8.12-13-pve',
      pveversion: 'pve-manager/8.4.11/14a32011146091ed (running kernel: 6.8.12-13-pve)',
      pveManagerVersion: '8.4.11',
      os: { id: 'debian', versionId: '12', codename: 'bookworm', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
      uptimeSeconds: 12345,
    });
  });

  it('records a plain Debian host without pveversion', () => {
    const facts = parseFacts({ hostname: 'h', kernel: '6.1.0-28-amd64', osRelease: OS_RELEASE_PVE8, uptime: '5.0 1.0', pveversion: '' });
    expect(facts.pveversion).toBeNull();
    expect(facts.pveManagerVersion).toBeNull();
  });
});
