import { describe, expect, it } from 'vitest';
import { parseSwappiness } from './swappiness';

describe('parseSwappiness', () => {
  it('reads the live value and orders the sysctl.d settings as boot applies them', () => {
    const files = [
      '==> /etc/sysctl.d/90-pvefleet-swappiness.conf <==',
      'vm.swappiness = 10',
      '==> /etc/sysctl.d/99-sysctl.conf <==',
      'vm.swappiness=60',
      '==> /run/sysctl.d/50-tuned.conf <==',
      '-vm/swappiness = 5',
      '==> /usr/lib/sysctl.d/10-pve.conf <==',
      '==> /usr/lib/sysctl.d/90-pvefleet-swappiness.conf <==',
      'vm.swappiness = 1',
      '',
    ].join('\n');
    expect(parseSwappiness('60\n', files)).toEqual({
      live: 60,
      settings: [
        { path: '/run/sysctl.d/50-tuned.conf', value: 5 },
        // The /usr/lib file of the same name is hidden by the /etc one.
        { path: '/etc/sysctl.d/90-pvefleet-swappiness.conf', value: 10 },
        { path: '/etc/sysctl.d/99-sysctl.conf', value: 60 },
      ],
    });
  });

  it('no file sets it: no settings; no sysctl answer: null', () => {
    expect(parseSwappiness('60\n', '==> /usr/lib/sysctl.d/10-pve.conf <==\n')).toEqual({ live: 60, settings: [] });
    expect(parseSwappiness('', '')).toBeNull();
    expect(parseSwappiness('sysctl: permission denied\n', '')).toBeNull();
  });
});
