import { describe, expect, it } from 'vitest';
import { compareVersions, sortVersions } from './version-sort';

describe('compareVersions', () => {
  it('compares digit runs as numbers, as sort -V does', () => {
    expect(compareVersions('6.5.13-6-pve', '6.11.11-2-pve')).toBeLessThan(0);
    expect(compareVersions('6.8.12-9-pve', '6.8.12-13-pve')).toBeLessThan(0);
    expect(compareVersions('7.0.0-3-pve', '6.17.13-4-pve')).toBeGreaterThan(0);
    expect(compareVersions('6.8.12-13-pve', '6.8.12-13-pve')).toBe(0);
  });

  it('orders ~ before the end and letters before other characters (dpkg rules)', () => {
    expect(compareVersions('1.0~rc1', '1.0')).toBeLessThan(0);
    expect(compareVersions('1.0', '1.0a')).toBeLessThan(0);
    expect(compareVersions('1.0a', '1.0+')).toBeLessThan(0);
    expect(compareVersions('1.007', '1.7')).toBe(0);
  });

  // Debian's own tricky cases (dpkg's t/version.t and the Debian Policy's examples), as dpkg --compare-versions answers them.
  it.each([
    ['1.0~rc1', '<', '1.0'],
    ['1.0~rc1', '<', '1.0~rc2'],
    ['1.0~~', '<', '1.0~'],
    ['~~', '<', '~'],
    ['~', '<', ''],
    ['', '<', 'a'],
    ['~~a', '<', '~'],
    ['1:0.9', '>', '2.0'],
    ['1:1.0', '>', '0:9.9'],
    ['0:1.0', '=', '1.0'],
    ['2:1.0', '>', '1:9.9'],
    ['8.4.1+pve1', '>', '8.4.1'],
    ['8.4.16', '>', '8.4.9'],
    ['8.4.9', '<', '8.4.10'],
    ['2.0-1', '<', '2.0-1+b1'],
    ['2.0-1', '<', '2.0-2'],
    ['2.0-10', '>', '2.0-9'],
    ['1.0-1', '=', '1.0-01'],
    ['1.0', '=', '1.0-0'],
    ['1.2.3-4', '<', '1.2.3.1-1'],
    ['1:9.2p1-2+deb12u7', '<', '1:10.0p1-7'],
    ['9.0.0~rc1', '<', '9.0.0'],
    ['1.0a', '>', '1.0'],
    ['1.0+', '>', '1.0a'],
    ['1.0.', '>', '1.0+'],
  ])('%s %s %s', (a, op, b) => {
    const want = op === '<' ? -1 : op === '>' ? 1 : 0;
    expect(Math.sign(compareVersions(a, b))).toBe(want);
    expect(Math.sign(compareVersions(b, a))).toBe(want === 0 ? 0 : -want);
  });
});

describe('sortVersions', () => {
  it('fixes the plain-text order proxmox-boot-tool prints (notes §2.4)', () => {
    expect(sortVersions(['6.11.11-2-pve', '6.14.8-2-pve', '6.5.13-6-pve'])).toEqual(['6.5.13-6-pve', '6.11.11-2-pve', '6.14.8-2-pve']);
  });

  it('is stable for versions that compare equal', () => {
    expect(sortVersions(['1.07', '1.7', '1.007'])).toEqual(['1.007', '1.07', '1.7']);
  });
});
