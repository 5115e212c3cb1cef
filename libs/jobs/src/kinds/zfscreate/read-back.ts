import type { DiskFacts } from '../../node-facts';
import { byDiskPath, describeLayout, sameLayout, type PoolLayout } from './pool-layout';
import { parseZpoolStatus } from './zpool-status';

/*
 * Reading the node back after (or instead of) creating the pool. Each returns why the node is not
 * in the intended state, or undefined.
 */

/** `zpool list -H -o name,health NAME`: one TAB-separated line. */
export function poolHealth(stdout: string, pool: string): string | undefined {
  const row = stdout
    .split('\n')
    .map((l) => l.split('\t'))
    .find((f) => f[0] === pool);
  return row?.[1]?.trim();
}

export function checkHealth(stdout: string, pool: string): string | undefined {
  const health = poolHealth(stdout, pool);
  if (!health) return `zpool list does not show pool ${pool}`;
  return health === 'ONLINE' ? undefined : `pool ${pool} is ${health}, expected ONLINE`;
}

/** The layout `zpool status -P NAME` shows, devices named by disk path. */
export function shownLayout(stdout: string, disks: readonly DiskFacts[]): PoolLayout | undefined {
  const status = parseZpoolStatus(stdout);
  return status && byDiskPath(status.layout, disks);
}

export function checkLayout(stdout: string, pool: string, expected: PoolLayout, disks: readonly DiskFacts[]): string | undefined {
  const status = parseZpoolStatus(stdout);
  if (!status || status.name !== pool) return `zpool status does not show pool ${pool}`;
  const shown = byDiskPath(status.layout, disks);
  if (!sameLayout(shown, expected)) return `pool ${pool} has the layout ${describeLayout(shown)}, expected ${describeLayout(expected)}`;
  const down = status.leaves.filter((l) => l.state !== 'ONLINE');
  if (down.length) return `pool ${pool} has devices that are not ONLINE: ${down.map((l) => `${l.name} ${l.state}`).join(', ')}`;
  return undefined;
}

/** `zpool get -H ashift NAME` → `tank\tashift\t12\tlocal`. */
export function poolAshift(stdout: string): number | undefined {
  const value = stdout.split('\n')[0].split('\t').at(2);
  return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value) : undefined;
}

export function checkAshift(stdout: string, pool: string, ashift: number): string | undefined {
  const actual = poolAshift(stdout);
  if (actual === undefined) return `zpool get shows no ashift for pool ${pool}`;
  return actual === ashift ? undefined : `pool ${pool} has ashift ${actual}, requested ${ashift} (ashift cannot change after creation)`;
}

/** `zfs get -H -o value compression NAME`. */
export const compressionValue = (stdout: string): string => stdout.trim();

/**
 * `pvesm status` rows as `id type status …` after the header (`Name Type Status Total …`, or
 * `Total (KiB) …` since libpve-storage-perl 9.0.14: only the first three columns matter here).
 */
export function storageRow(stdout: string, id: string): { type: string; status: string } | undefined {
  for (const line of stdout.split('\n')) {
    const [name, type, status] = line.trim().split(/\s+/);
    if (name === id && type && status) return { type, status };
  }
  return undefined;
}

export function checkStorage(stdout: string, id: string): string | undefined {
  const row = storageRow(stdout, id);
  if (!row) return `pvesm status does not list storage ${id}`;
  if (row.type !== 'zfspool') return `storage ${id} is a ${row.type} storage, expected zfspool`;
  return row.status === 'active' ? undefined : `storage ${id} is ${row.status}, expected active`;
}
