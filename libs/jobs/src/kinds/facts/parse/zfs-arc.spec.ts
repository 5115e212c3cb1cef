import { describe, expect, it } from 'vitest';
import { configuredArcMax, parseZfsArc } from './zfs-arc';

describe('parseZfsArc', () => {
  it("reads the module parameter and the seed's zfs.conf line", () => {
    expect(parseZfsArc('8589934592\n', 'options zfs zfs_arc_max=8589934592\n')).toEqual({
      live: 8589934592,
      configured: 8589934592,
      conf: 'options zfs zfs_arc_max=8589934592\n',
    });
  });

  it('no zfs.conf: configured and conf null; no zfs module: null', () => {
    expect(parseZfsArc('0\n', '')).toEqual({ live: 0, configured: null, conf: null });
    expect(parseZfsArc('', 'options zfs zfs_arc_max=8589934592\n')).toBeNull();
  });

  it('takes the last zfs_arc_max of the options zfs lines, ignoring comments and other modules', () => {
    const conf = [
      '# options zfs zfs_arc_max=1',
      'options zfs zfs_arc_min=1073741824 zfs_arc_max=4294967296',
      'options spl spl_hostid=1',
      'options zfs zfs_arc_max=2147483648 # lowered',
      'options zfs l2arc_noprefetch=0',
    ].join('\n');
    expect(configuredArcMax(conf)).toBe(2147483648);
    expect(configuredArcMax('options zfs zfs_arc_min=1\n')).toBeNull();
  });
});
