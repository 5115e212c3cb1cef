import { parseOrThrow, type DiskFacts, type PoolFacts } from '@pvefleet/jobs';
import { describe, expect, it } from 'vitest';
import { pveNodeFacts } from '../../../jobs/src/testing/node-facts.fixture';
import { zfsPoolsField, type ZfsPoolsObserved } from './zfs-pools.field';

const id = (serial: string) => `/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_${serial}`;
const hdd = (name: string, serial: string, used: string | null = null): DiskFacts => ({
  path: `/dev/${name}`,
  byId: [id(serial), `/dev/disk/by-id/wwn-0x50014ee2${serial}`],
  sizeBytes: 4000787030016,
  model: 'WDC_WD40EFRX-68N32N0',
  serial,
  used,
});
const disks = [hdd('sdb', 'WD-1', 'ZFS'), hdd('sdc', 'WD-2', 'ZFS'), hdd('sdd', 'WD-3'), hdd('sde', 'WD-4')];
/** `zpool status -P` names whole-disk members by their first partition. */
const tank: PoolFacts = {
  name: 'tank',
  health: 'ONLINE',
  sizeBytes: 3985729650688,
  vdevs: [{ type: 'mirror', devices: [`${id('WD-1')}-part1`, '/dev/sdc1'] }],
  cache: [],
  log: [],
};
const facts = (pools: PoolFacts[] | null = [tank]) => pveNodeFacts(8, { disks, pools });
const value = (v: unknown) => parseOrThrow(zfsPoolsField.schema, v, 'fields.zfsPools.value');
const mirror = (name: string, a: string, b: string) => ({ name, raidLevel: 'mirror', devices: [id(a), id(b)] });
const observe = (f = facts()): ZfsPoolsObserved => {
  const o = zfsPoolsField.observe?.(f);
  if (!o) throw new Error('no observation');
  return o;
};
const now = Date.UTC(2026, 10, 1);

describe('zfsPools field', () => {
  it('validates each pool with the zfscreate spec and wants /dev/disk/by-id devices', () => {
    expect(value([mirror('tank', 'WD-1', 'WD-2')])[0]).toMatchObject({ name: 'tank', raidLevel: 'mirror', ashift: 12, compression: 'on' });
    expect(() => value([{ name: 'tank', raidLevel: 'mirror', devices: [id('WD-1')] }])).toThrow(
      /fields\.zfsPools\.value\.0\.devices: mirror needs at least 2 disks/,
    );
    expect(() => value([{ name: 'tank', raidLevel: 'mirror', devices: [id('WD-1'), '/dev/sdc'] }])).toThrow(
      /fields\.zfsPools\.value\.0\.devices\.1: must be a \/dev\/disk\/by-id\/ path/,
    );
    expect(() => value([mirror('tank', 'WD-1', 'WD-2'), mirror('tank', 'WD-3', 'WD-4')])).toThrow(
      /fields\.zfsPools\.value\.1\.name: duplicate pool 'tank'/,
    );
  });

  it('observes pools with members resolved to disk paths, and the by-id links of those disks', () => {
    const o = observe();
    expect(o.pools).toEqual([
      { name: 'tank', health: 'ONLINE', vdevs: [{ type: 'mirror', devices: ['/dev/sdb', '/dev/sdc'] }], cache: [], log: [] },
    ]);
    expect(o.byId[id('WD-2')]).toBe('/dev/sdc');
    expect(o.byId[id('WD-3')]).toBeUndefined();
    expect(zfsPoolsField.observe?.(facts(null))).toBeNull();
  });

  it('compliant when each declared pool has the declared layout, whatever links name its disks', () => {
    expect(zfsPoolsField.differs?.(value([mirror('tank', 'WD-2', 'WD-1')]), observe(), now)).toBeUndefined();
    expect(zfsPoolsField.differs?.(value([]), observe(), now)).toBeUndefined();
  });

  it('differs on a missing pool or another layout', () => {
    const declared = value([mirror('tank', 'WD-1', 'WD-3'), mirror('data', 'WD-3', 'WD-4')]);
    expect(zfsPoolsField.differs?.(declared, observe(), now)).toBe(
      `pool 'tank' is mirror(/dev/sdb /dev/sdc), wants mirror(${id('WD-3')} /dev/sdb); pool 'data' does not exist`,
    );
  });

  it('fixes a missing pool with zfscreate, destroying exactly its devices; never recreates an existing one', () => {
    const declared = value([mirror('tank', 'WD-1', 'WD-3'), mirror('data', 'WD-3', 'WD-4')]);
    const [task, ...rest] = zfsPoolsField.fix?.(declared, facts()) ?? [];
    expect(rest).toEqual([]);
    expect(task).toMatchObject({
      type: 'zfscreate',
      params: { name: 'data', raidLevel: 'mirror', devices: [id('WD-3'), id('WD-4')] },
      destroys: [id('WD-3'), id('WD-4')],
    });
    expect(zfsPoolsField.fix?.(value([mirror('tank', 'WD-1', 'WD-2')]), facts())).toEqual([]);
  });
});
