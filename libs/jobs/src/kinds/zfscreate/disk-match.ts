import type { DiskFacts } from '../../node-facts';

/**
 * Finds the disk a device name stands for: its path, one of its `/dev/disk/by-id/` links, or, as
 * `zpool status -P` shows a whole-disk vdev, its first partition (`/dev/sdb1`, `/dev/nvme0n1p1`,
 * `…/by-id/ata-…-part1`). Short names as plain `zpool status` prints them (`sdb`, `ata-…`) work too.
 */
export function findDisk(disks: readonly DiskFacts[], name: string): DiskFacts | undefined {
  for (const candidate of candidates(name)) {
    const disk = disks.find((d) => d.path === candidate || d.byId.includes(candidate));
    if (disk) return disk;
  }
  return undefined;
}

function candidates(name: string): string[] {
  const full = name.startsWith('/') ? [name] : [`/dev/${name}`, `/dev/disk/by-id/${name}`];
  return full.flatMap((p) => [
    p,
    p.replace(/-part\d+$/, ''),
    // nvme0n1p1 → nvme0n1, mmcblk0p1 → mmcblk0
    p.replace(/(\d)p\d+$/, '$1'),
    // sdb1 → sdb, vdc2 → vdc (never nvme0n1 → nvme0n: the name must end in letters first)
    p.replace(/^(\/dev\/(?:[shv]|xv)d[a-z]+)\d+$/, '$1'),
  ]);
}

/** The name a device is known by in messages and layouts: the disk's path, or the name as given. */
export function diskKey(disks: readonly DiskFacts[], name: string): string {
  return findDisk(disks, name)?.path ?? name;
}
