import { describe, expect, it } from 'vitest';
import { parseUpgradableList } from './upgradable-list';

describe('apt list --upgradable', () => {
  it('reads the packages as from → to and ignores the header, warnings and hints', () => {
    const out = `Listing...
pve-manager/stable 8.4.17 all [upgradable from: 8.4.16]
linux-libc-dev/oldstable-security 6.1.164-1 amd64 [upgradable from: 6.1.162-1]
openssh-server/stable,now 1:10.0p1-7 amd64 [upgradable from: 1:9.2p1-2+deb12u7]
N: There is 1 additional version. Please use the '-a' switch to see it
`;
    expect(parseUpgradableList(out)).toEqual([
      { name: 'pve-manager', suite: 'stable', to: '8.4.17', arch: 'all', from: '8.4.16' },
      { name: 'linux-libc-dev', suite: 'oldstable-security', to: '6.1.164-1', arch: 'amd64', from: '6.1.162-1' },
      { name: 'openssh-server', suite: 'stable,now', to: '1:10.0p1-7', arch: 'amd64', from: '1:9.2p1-2+deb12u7' },
    ]);
    expect(parseUpgradableList('Listing...\n')).toEqual([]);
  });
});
