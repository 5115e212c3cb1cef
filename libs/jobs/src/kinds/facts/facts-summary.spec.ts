import { describe, expect, it } from 'vitest';
import type { KernelFacts } from '../../node-facts';
import { pveNodeFacts } from '../../testing/node-facts.fixture';
import { describeFacts } from './facts-summary';

describe('facts summary line', () => {
  it('names version, kernel, upgrades, pools and storages', () => {
    const upgradable = [{ name: 'pve-manager', from: '8.4.11', version: '8.4.16', arch: 'all', suite: 'stable' }];
    const f = pveNodeFacts(8, { upgradable, pools: [], storages: [] });
    expect(describeFacts(f)).toBe('pve-manager 8.4.11, kernel 6.8.12-13-pve, 1 upgradable, 0 ZFS pools, 0 storages');
  });

  it('a plain Debian host with a pending reboot; unknown sections are left out', () => {
    const kernels = { rebootRequired: true } as KernelFacts;
    const f = { ...pveNodeFacts(8, { kernels, upgradable: null, pools: null, storages: null }), pveManagerVersion: null };
    expect(describeFacts(f)).toBe('no PVE, kernel 6.8.12-13-pve (reboot required)');
  });
});
