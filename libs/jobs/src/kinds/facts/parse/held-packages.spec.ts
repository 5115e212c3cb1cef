import { describe, expect, it } from 'vitest';
import { SECTION_END } from '../facts-script';
import { parseHeldPackages } from './held-packages';

describe('parseHeldPackages', () => {
  it('apt-mark showhold, sorted; nothing held is []', () => {
    expect(parseHeldPackages(`pve-manager\nproxmox-ve\nlibc6:i386\n${SECTION_END}\n`)).toEqual(['libc6:i386', 'proxmox-ve', 'pve-manager']);
    expect(parseHeldPackages(`${SECTION_END}\n`)).toEqual([]);
  });

  it('no end line (apt-mark failed or is missing): null, never "nothing held"', () => {
    expect(parseHeldPackages('')).toBeNull();
    expect(parseHeldPackages('proxmox-ve\n')).toBeNull();
  });
});
