import { parseOrThrow, type DiskFacts, type LvmFacts, type NodeFacts } from '@pvefleet/jobs';
import { describe, expect, it } from 'vitest';
import { pveNodeFacts } from '../../../jobs/src/testing/node-facts.fixture';
import { lvmThinPoolsField, type LvmThinPoolsObserved } from './lvmthin-pools.field';

const id = (serial: string) => `/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_${serial}`;
const hdd = (name: string, serial: string, used: string | null = null): DiskFacts => ({
  path: `/dev/${name}`,
  byId: [id(serial)],
  sizeBytes: 4000787030016,
  model: 'WDC_WD40EFRX-68N32N0',
  serial,
  used,
});
/** The installer's pve/data on sda3, and vmdata/vmstore (80G) on sdb1. */
const LVM: LvmFacts = {
  pvs: [
    { device: '/dev/sda3', vg: 'pve', sizeBytes: 499029901312 },
    { device: '/dev/sdb1', vg: 'vmdata', sizeBytes: 4000783007744 },
  ],
  thinPools: [
    { vg: 'pve', name: 'data', sizeBytes: 366924611584 },
    { vg: 'vmdata', name: 'vmstore', sizeBytes: 85899345920 },
  ],
};
const facts = (lvm: LvmFacts | null = LVM, storages = [{ id: 'local-lvm', type: 'lvmthin', status: 'active' }]): NodeFacts =>
  pveNodeFacts(8, { disks: [hdd('sda', 'SSD', 'BIOS boot'), hdd('sdb', 'WD-1', 'LVM'), hdd('sdc', 'WD-2')], storages, lvm });
const value = (v: unknown) => parseOrThrow(lvmThinPoolsField.schema, v, 'fields.lvmthinPools.value');
const pool = (disk: string, vgName: string, thinPool: string, size = '80G', more: object = {}) => ({
  disk: id(disk),
  vgName,
  thinPool,
  size,
  ...more,
});
const observe = (f = facts()): LvmThinPoolsObserved => {
  const o = lvmThinPoolsField.observe?.(f);
  if (!o) throw new Error('no observation');
  return o;
};
const now = Date.UTC(2026, 10, 1);

describe('lvmthinPools field', () => {
  it('validates each pool with the lvmthin spec; a volume group, disk or storage declared twice is refused', () => {
    expect(value([pool('WD-1', 'vmdata', 'vmstore')])[0]).toEqual({
      disk: id('WD-1'),
      vgName: 'vmdata',
      thinPool: 'vmstore',
      size: '80G',
      ignoreSmart: false,
    });
    expect(() => value([{ ...pool('WD-1', 'vmdata', 'vmstore'), disk: '/dev/sdb' }])).toThrow(
      /fields\.lvmthinPools\.value\.0\.disk: must be a whole disk by its \/dev\/disk\/by-id\/ path/,
    );
    expect(() => value([pool('WD-1', 'vmdata', 'vmstore', '100%FREE')])).toThrow(/fields\.lvmthinPools\.value\.0\.size: must be a size/);
    expect(() => value([pool('WD-1', 'vmdata', 'a'), pool('WD-2', 'vmdata', 'b')])).toThrow(
      /fields\.lvmthinPools\.value\.1\.vgName: volume group 'vmdata' is declared twice/,
    );
    expect(() => value([pool('WD-1', 'vg1', 'a'), pool('WD-1', 'vg2', 'b')])).toThrow(
      /fields\.lvmthinPools\.value\.1\.disk: \/dev\/disk\/by-id\/ata-WDC_WD40EFRX-68N32N0_WD-1 is declared for two thin pools/,
    );
    expect(() =>
      value([pool('WD-1', 'vg1', 'a', '80G', { storageId: 'st' }), pool('WD-2', 'vg2', 'b', '80G', { storageId: 'st' })]),
    ).toThrow(/fields\.lvmthinPools\.value\.1\.storageId: storage 'st' is declared twice/);
  });

  it('observes thin pools with the disks under their volume group, the by-id links of those disks, and lvmthin storages', () => {
    expect(observe()).toEqual({
      pools: [
        { vg: 'pve', name: 'data', sizeBytes: 366924611584, disks: ['/dev/sda'] },
        { vg: 'vmdata', name: 'vmstore', sizeBytes: 85899345920, disks: ['/dev/sdb'] },
      ],
      byId: { [id('SSD')]: '/dev/sda', [id('WD-1')]: '/dev/sdb' },
      storages: ['local-lvm'],
    });
    // Facts without LVM (older facts, or no LVM tools) cannot tell.
    expect(lvmThinPoolsField.observe?.(facts(null))).toBeNull();
    const { lvm: _lvm, ...older } = facts();
    expect(lvmThinPoolsField.observe?.(older)).toBeNull();
  });

  it('compliant when each declared pool is on its disk with at least its size (and its storage registered)', () => {
    expect(lvmThinPoolsField.differs?.(value([pool('WD-1', 'vmdata', 'vmstore')]), observe(), now)).toBeUndefined();
    expect(lvmThinPoolsField.differs?.(value([pool('WD-1', 'vmdata', 'vmstore', '60G')]), observe(), now)).toBeUndefined();
    expect(lvmThinPoolsField.differs?.(value([]), observe(), now)).toBeUndefined();
  });

  it('differs on a missing pool, another disk, a smaller size or a missing storage', () => {
    expect(lvmThinPoolsField.differs?.(value([pool('WD-2', 'vmdata', 'vmstore')]), observe(), now)).toBe(
      `thin pool vmdata/vmstore is on /dev/sdb, wants ${id('WD-2')}`,
    );
    expect(lvmThinPoolsField.differs?.(value([pool('WD-2', 'fast', 'thin'), pool('SSD', 'pve', 'data', '1T')]), observe(), now)).toBe(
      'thin pool fast/thin does not exist; thin pool pve/data has 366924611584 bytes, wants at least 1T',
    );
    expect(lvmThinPoolsField.differs?.(value([pool('WD-1', 'vmdata', 'vmstore', '80G', { storageId: 'vmstore' })]), observe(), now)).toBe(
      'storage vmstore for vmdata/vmstore is not registered',
    );
  });

  it('fixes a missing pool with lvmthin destroying exactly its disk, a missing storage without destroying anything; never resizes or moves', () => {
    const declared = value([
      pool('WD-2', 'fast', 'thin', '80G', { storageId: 'fast' }),
      pool('WD-1', 'vmdata', 'vmstore', '80G', { storageId: 'vmstore' }),
      pool('SSD', 'pve', 'data', '1T'),
    ]);
    expect(lvmThinPoolsField.fix?.(declared, facts())).toEqual([
      {
        type: 'lvmthin',
        params: { disk: id('WD-2'), vgName: 'fast', thinPool: 'thin', size: '80G', storageId: 'fast', ignoreSmart: false },
        destroys: [id('WD-2')],
      },
      {
        type: 'lvmthin',
        params: { disk: id('WD-1'), vgName: 'vmdata', thinPool: 'vmstore', size: '80G', storageId: 'vmstore', ignoreSmart: false },
      },
    ]);
    expect(lvmThinPoolsField.fix?.(value([pool('WD-1', 'vmdata', 'vmstore')]), facts())).toEqual([]);
    expect(lvmThinPoolsField.fix?.(declared, facts(null))).toEqual([]);
  });
});
