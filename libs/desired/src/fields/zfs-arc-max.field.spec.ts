import { parseOrThrow, type ZfsArcFacts } from '@pvefleet/jobs';
import { describe, expect, it } from 'vitest';
import { pveNodeFacts } from '../../../jobs/src/testing/node-facts.fixture';
import { zfsArcMaxField } from './zfs-arc-max.field';

const GIB8 = 8589934592;
const value = (v: unknown) => parseOrThrow(zfsArcMaxField.schema, v, 'fields.zfsArcMax.value');
const facts = (zfsArc: ZfsArcFacts | null) => pveNodeFacts(8, { zfsArc });
const now = Date.UTC(2026, 10, 1);

describe('zfsArcMax field', () => {
  it("validates with the zfsarc kind's own schema: 0 or at least 64 MiB", () => {
    expect(value(GIB8)).toBe(GIB8);
    expect(value(0)).toBe(0);
    expect(() => value(1024)).toThrow('fields.zfsArcMax.value: must be 0 (ZFS default) or at least 67108864 (64 MiB)');
    expect(() => value('8G')).toThrow(/fields\.zfsArcMax\.value/);
  });

  it('observes the live limit and the one zfs.conf sets; unknown without the zfs module', () => {
    expect(zfsArcMaxField.observe?.(facts({ live: 0, configured: null, conf: null }))).toEqual({ live: 0, configured: null });
    expect(zfsArcMaxField.observe?.(facts(null))).toBeNull();
    expect(zfsArcMaxField.observe?.(pveNodeFacts())).toBeNull();
  });

  it('differs on the live limit and on the next boot, with the sizes', () => {
    const d = (v: number, live: number, configured: number | null) => zfsArcMaxField.differs?.(v, { live, configured }, now);
    expect(d(GIB8, GIB8, GIB8)).toBeUndefined();
    expect(d(GIB8, 0, null)).toBe(
      "zfs_arc_max is 0 (ZFS default), desired 8589934592 (8 GiB); /etc/modprobe.d/zfs.conf sets no zfs_arc_max: a boot brings back ZFS's default",
    );
    expect(d(GIB8, GIB8, 4294967296)).toBe('/etc/modprobe.d/zfs.conf sets zfs_arc_max=4294967296');
    expect(d(0, 0, null)).toBeUndefined();
  });

  it('fixes with one zfsarc task, none when compliant', () => {
    expect(zfsArcMaxField.fix?.(GIB8, facts({ live: 0, configured: null, conf: null }))).toEqual([
      { type: 'zfsarc', params: { zfsArcMax: GIB8 } },
    ]);
    expect(zfsArcMaxField.fix?.(GIB8, facts({ live: GIB8, configured: GIB8, conf: 'options zfs zfs_arc_max=8589934592\n' }))).toEqual([]);
  });
});
