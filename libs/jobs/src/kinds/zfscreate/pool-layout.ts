import type { DiskFacts } from '../../node-facts';
import { diskKey } from './disk-match';
import type { RaidLevel, ZfsCreateSpec } from './zfscreate-params';

/** A pool's vdev layout as `zpool status` shows it: top-level `disk`/`mirror`/`raidz1..3` vdevs, cache, log. */
export interface PoolLayout {
  vdevs: { type: string; devices: string[] }[];
  cache: string[];
  log: string[];
}

const VDEV_TYPE: Record<RaidLevel, string> = {
  single: 'disk',
  mirror: 'mirror',
  raid10: 'mirror',
  raidz: 'raidz1',
  raidz2: 'raidz2',
  raidz3: 'raidz3',
};

/** The layout the spec asks for; raid10 is one mirror per pair of devices, in the order given. */
export function requestedLayout(spec: Pick<ZfsCreateSpec, 'raidLevel' | 'devices' | 'cache' | 'log'>): PoolLayout {
  const type = VDEV_TYPE[spec.raidLevel];
  const vdevs =
    spec.raidLevel === 'raid10'
      ? spec.devices.flatMap((_, i) => (i % 2 === 0 ? [{ type, devices: spec.devices.slice(i, i + 2) }] : []))
      : [{ type, devices: [...spec.devices] }];
  return { vdevs, cache: [...spec.cache], log: [...spec.log] };
}

/** The same layout with every device named by its disk's path, so by-id links and partitions compare equal. */
export function byDiskPath(layout: PoolLayout, disks: readonly DiskFacts[]): PoolLayout {
  const key = (d: string) => diskKey(disks, d);
  return {
    vdevs: layout.vdevs.map((v) => ({ type: v.type, devices: v.devices.map(key) })),
    cache: layout.cache.map(key),
    log: layout.log.map(key),
  };
}

/** Equal up to order: which vdevs, of which type, with which devices; which cache and log devices. */
export function sameLayout(a: PoolLayout, b: PoolLayout): boolean {
  const vdevKey = (v: PoolLayout['vdevs'][number]) => `${v.type}:${[...v.devices].sort().join(',')}`;
  const set = (xs: string[]) => [...xs].sort().join('|');
  return set(a.vdevs.map(vdevKey)) === set(b.vdevs.map(vdevKey)) && set(a.cache) === set(b.cache) && set(a.log) === set(b.log);
}

/** e.g. `mirror(/dev/sdb /dev/sdc) mirror(/dev/sdd /dev/sde), cache /dev/nvme0n1, log /dev/sdf`. */
export function describeLayout(layout: PoolLayout): string {
  const vdevs =
    layout.vdevs.map((v) => (v.type === 'disk' ? v.devices.join(' ') : `${v.type}(${v.devices.join(' ')})`)).join(' ') || 'no vdevs';
  return [
    vdevs,
    ...(layout.cache.length ? [`cache ${layout.cache.join(' ')}`] : []),
    ...(layout.log.length ? [`log ${layout.log.join(' ')}`] : []),
  ].join(', ');
}
