import { parseOrThrow } from '@pvefleet/jobs';
import { describe, expect, it } from 'vitest';
import { pveNodeFacts } from '../../../jobs/src/testing/node-facts.fixture';
import { heldPackagesField } from './held-packages.field';

const value = (v: unknown) => parseOrThrow(heldPackagesField.schema, v, 'fields.heldPackages.value');
const now = Date.UTC(2026, 10, 1);

describe('heldPackages field', () => {
  it("validates package names with the apthold kind's own schema, naming the entry", () => {
    expect(value(['proxmox-ve', 'libstdc++6'])).toEqual(['proxmox-ve', 'libstdc++6']);
    expect(() => value(['pve;reboot'])).toThrow(/^fields\.heldPackages\.value\.0: must be a Debian package name/);
    expect(() => value(['vim', 'vim'])).toThrow("fields.heldPackages.value.1: duplicate package 'vim'");
  });

  it('observes apt-mark showhold; unknown when apt-mark did not answer', () => {
    expect(heldPackagesField.observe?.(pveNodeFacts(8, { heldPackages: ['proxmox-ve'] }))).toEqual(['proxmox-ve']);
    expect(heldPackagesField.observe?.(pveNodeFacts(8, { heldPackages: null }))).toBeNull();
    expect(heldPackagesField.observe?.(pveNodeFacts())).toBeNull();
  });

  it('the value is the whole set: missing holds and undeclared ones both drift', () => {
    expect(heldPackagesField.differs?.(['proxmox-ve'], ['proxmox-ve'], now)).toBeUndefined();
    expect(heldPackagesField.differs?.(['proxmox-ve', 'pve-manager'], ['zfsutils-linux'], now)).toBe(
      'not held: proxmox-ve, pve-manager; held but not declared: zfsutils-linux',
    );
    expect(heldPackagesField.differs?.([], ['proxmox-ve'], now)).toBe('held but not declared: proxmox-ve');
  });

  it('fixes with one apthold task holding what is missing and releasing what is extra', () => {
    const facts = pveNodeFacts(8, { heldPackages: ['proxmox-ve', 'zfsutils-linux'] });
    expect(heldPackagesField.fix?.(['proxmox-ve', 'pve-manager'], facts)).toEqual([
      { type: 'apthold', params: { hold: ['pve-manager'], unhold: ['zfsutils-linux'] } },
    ]);
    expect(heldPackagesField.fix?.(['zfsutils-linux', 'proxmox-ve'], facts)).toEqual([]);
  });
});
