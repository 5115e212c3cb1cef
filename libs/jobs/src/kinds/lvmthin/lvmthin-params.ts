import { z } from 'zod';
import { devicePath, storageId } from '../../formats';

/** LVM's names (lib/misc/lvm-string.c): letters, digits and `+_.-`, not starting with `-`. */
const LVM_NAME = /^[A-Za-z0-9+_.][A-Za-z0-9+_.-]*$/;
/** Suffixes LVM keeps for its hidden volumes; a thin pool named so is refused by lvcreate. */
const RESERVED_SUFFIX = /_(cdata|cmeta|corig|cpool|cvol|mimage|mlog|pmspare|rimage|rmeta|tdata|tmeta|vdata|vorigin|wcorig)$/;

const lvmName = (what: string) =>
  z
    .string()
    .max(127, 'must be at most 127 characters')
    .regex(LVM_NAME, `must be an LVM ${what} name: letters, digits and + _ . - (not starting with -)`)
    .refine((n) => n !== '.' && n !== '..', `. and .. are no ${what} names`);

/** `lvcreate -L` sizes: a number and a binary unit. `-L` takes no `%FREE` (that is `-l`). */
const SIZE = /^[1-9]\d*(\.\d+)?[MGT]$/;

export const lvmThinParams = z.strictObject({
  /** The whole, unused disk, by a `/dev/disk/by-id/` link (stable across reboots, unlike `/dev/sdX`). */
  disk: devicePath.refine(
    (p) => p.startsWith('/dev/disk/by-id/') && !/-part\d+$/.test(p),
    'must be a whole disk by its /dev/disk/by-id/ path',
  ),
  vgName: lvmName('volume group'),
  thinPool: lvmName('logical volume').refine((n) => !RESERVED_SUFFIX.test(n), 'ends in a suffix LVM reserves for hidden volumes'),
  /** The thin pool's data size, as `lvcreate -L` takes it: `100G`, `1.5T`, `512M`. */
  size: z.string().regex(SIZE, 'must be a size like 100G, 1.5T or 512M (lvcreate -L takes no %FREE)'),
  /** Registers the pool as a PVE storage (`pvesm add lvmthin`), for this node only. */
  storageId: storageId.optional(),
  /** Uses the disk even when `smartctl -H` does not pass (the seed's Disk Health Monitoring). */
  ignoreSmart: z.boolean().default(false),
});

export type LvmThinSpec = z.infer<typeof lvmThinParams>;

/** The size in bytes (binary units, as LVM reads them). */
export function sizeBytes(size: string): number {
  const power = { M: 2, G: 3, T: 4 }[size.slice(-1) as 'M' | 'G' | 'T'];
  return Math.ceil(Number(size.slice(0, -1)) * 1024 ** power);
}

/** What LVM allocates for `-L`: the size rounded up to whole 4 MiB extents. */
export function allocatedBytes(size: string): number {
  const extent = 4 * 1024 * 1024;
  return Math.ceil(sizeBytes(size) / extent) * extent;
}

/** The partition `sgdisk -N 1` makes, by the same by-id link. */
export const partitionOf = (spec: LvmThinSpec): string => `${spec.disk}-part1`;
