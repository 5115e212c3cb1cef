import { describe, expect, it } from 'vitest';
import { FACTS_MARKER, FACT_SECTIONS, splitSections } from '../facts-script';
import { parseSourceFiles } from './sources';

// Simulator, PVE 8 (one-line .list files).
const SIM_PVE8 =
  '==> /etc/apt/sources.list <==\ndeb http://deb.debian.org/debian bookworm main contrib\n\ndeb http://deb.debian.org/debian bookworm-updates main contrib\n\n# security updates\ndeb http://security.debian.org/debian-security bookworm-security main contrib\n==> /etc/apt/sources.list.d/ceph.list <==\n# deb https://enterprise.proxmox.com/debian/ceph-quincy bookworm enterprise\n==> /etc/apt/sources.list.d/pve-enterprise.list <==\n# deb https://enterprise.proxmox.com/debian/pve bookworm pve-enterprise\n==> /etc/apt/sources.list.d/pve-no-subscription.list <==\ndeb http://download.proxmox.com/debian/pve bookworm pve-no-subscription\n';

// Simulator, PVE 9 (deb822 .sources; the last file ends in `Enabled: no`).
const SIM_PVE9 =
  '==> /etc/apt/sources.list.d/ceph.sources <==\nTypes: deb\nURIs: http://download.proxmox.com/debian/ceph-squid\nSuites: trixie\nComponents: no-subscription\nSigned-By: /usr/share/keyrings/proxmox-archive-keyring.gpg\n==> /etc/apt/sources.list.d/debian.sources <==\nTypes: deb deb-src\nURIs: http://deb.debian.org/debian/\nSuites: trixie trixie-updates\nComponents: main non-free-firmware\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\nTypes: deb deb-src\nURIs: http://security.debian.org/debian-security/\nSuites: trixie-security\nComponents: main non-free-firmware\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n==> /etc/apt/sources.list.d/pve-enterprise.sources <==\nTypes: deb\nURIs: https://enterprise.proxmox.com/debian/pve\nSuites: trixie\nComponents: pve-enterprise\nSigned-By: /usr/share/keyrings/proxmox-archive-keyring.gpg\nEnabled: no\n';

/** Runs files through what the facts script prints and splitSections returns, like a real node would. */
function throughScript(files: [string, string][]): string {
  const printed = files.map(([path, content]) => `==> ${path} <==\n${content}`).join('');
  const next = Object.keys(FACT_SECTIONS)[Object.keys(FACT_SECTIONS).indexOf('aptSources') + 1];
  return splitSections(`${FACTS_MARKER}aptSources\n${printed}${FACTS_MARKER}${next}\nactive\n`).aptSources;
}

describe('parseSourceFiles', () => {
  it('reads simulated PVE 8 sources, every file with its final newline', () => {
    const files = parseSourceFiles(SIM_PVE8);
    expect(files.map((f) => f.path)).toEqual([
      '/etc/apt/sources.list',
      '/etc/apt/sources.list.d/ceph.list',
      '/etc/apt/sources.list.d/pve-enterprise.list',
      '/etc/apt/sources.list.d/pve-no-subscription.list',
    ]);
    expect(files[0].content).toBe(
      'deb http://deb.debian.org/debian bookworm main contrib\n\ndeb http://deb.debian.org/debian bookworm-updates main contrib\n\n# security updates\ndeb http://security.debian.org/debian-security bookworm-security main contrib\n',
    );
    expect(files[3].content).toBe('deb http://download.proxmox.com/debian/pve bookworm pve-no-subscription\n');
  });

  it('keeps deb822 stanzas and their blank separator lines', () => {
    const files = parseSourceFiles(SIM_PVE9);
    expect(files).toHaveLength(3);
    expect(files[1].content.split('\n\n')).toHaveLength(2);
    expect(files[2]).toEqual({
      path: '/etc/apt/sources.list.d/pve-enterprise.sources',
      content:
        'Types: deb\nURIs: https://enterprise.proxmox.com/debian/pve\nSuites: trixie\nComponents: pve-enterprise\nSigned-By: /usr/share/keyrings/proxmox-archive-keyring.gpg\nEnabled: no\n',
    });
  });

  it('round-trips contents exactly: empty files, blank lines, missing final newlines', () => {
    const files: [string, string][] = [
      ['/etc/chrony/sources.d/a.sources', 'server ntp1.example.com iburst\n'],
      ['/etc/chrony/sources.d/b.sources', ''],
      ['/etc/chrony/sources.d/c.sources', 'server ntp2.example.com iburst'],
      ['/etc/chrony/sources.d/d.sources', '\n'],
      ['/etc/chrony/sources.d/e.sources', 'server ntp3.example.com iburst\n\n'],
    ];
    expect(parseSourceFiles(throughScript(files))).toEqual(files.map(([path, content]) => ({ path, content })));
    for (const last of ['', 'x', 'x\n', 'x\n\n', '\n']) {
      expect(
        parseSourceFiles(
          throughScript([
            ['/a', 'y\n'],
            ['/b', last],
          ]),
        ),
      ).toEqual([
        { path: '/a', content: 'y\n' },
        { path: '/b', content: last },
      ]);
    }
  });

  it('reads what the simulator printed for drop-ins, one without a final newline', () => {
    const text =
      '==> /etc/chrony/sources.d/a.sources <==\nserver ntp1.example.com iburst\n==> /etc/chrony/sources.d/b.sources <==\n==> /etc/chrony/sources.d/c.sources <==\nserver ntp2.example.com iburst==> /etc/chrony/sources.d/d.sources <==\nserver ntp3.example.com iburst\n';
    expect(parseSourceFiles(text)).toEqual([
      { path: '/etc/chrony/sources.d/a.sources', content: 'server ntp1.example.com iburst\n' },
      { path: '/etc/chrony/sources.d/b.sources', content: '' },
      { path: '/etc/chrony/sources.d/c.sources', content: 'server ntp2.example.com iburst' },
      { path: '/etc/chrony/sources.d/d.sources', content: 'server ntp3.example.com iburst\n' },
    ]);
  });

  it('is [] without files and ignores text before the first header', () => {
    expect(parseSourceFiles('')).toEqual([]);
    expect(parseSourceFiles('stray\n==> /x <==\ny\n')).toEqual([{ path: '/x', content: 'y\n' }]);
  });
});
