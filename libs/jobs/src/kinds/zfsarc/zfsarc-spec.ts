import { z } from 'zod';

/** OpenZFS refuses an ARC limit below 64 MiB; 0 means its default (half the RAM on PVE 8). */
export const MIN_ARC_MAX = 64 * 1024 * 1024;

/** `zfs_arc_max` in bytes: 0 (ZFS's default) or at least 64 MiB, e.g. 8589934592 (8 GiB) as in the seed. */
export const zfsArcMaxValue = z
  .number()
  .int('must be an integer number of bytes')
  .min(0, 'must be 0 (ZFS default) or at least 67108864 (64 MiB)')
  .max(Number.MAX_SAFE_INTEGER, 'must be at most 9007199254740991')
  .refine((v) => v === 0 || v >= MIN_ARC_MAX, 'must be 0 (ZFS default) or at least 67108864 (64 MiB)');

/** What a `zfsarc` task sets: the seed's "Limit ZFS Memory Usage". */
export const zfsArcSpec = z.strictObject({ zfsArcMax: zfsArcMaxValue });

export type ZfsArcSpec = z.infer<typeof zfsArcSpec>;

/** A byte count as an admin reads it: `8589934592 (8 GiB)`, `0 (ZFS default)`. */
export function arcSize(bytes: number): string {
  if (bytes === 0) return '0 (ZFS default)';
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let unit = 'B';
  for (const u of units) {
    if (v < 1024) break;
    v /= 1024;
    unit = u;
  }
  return `${bytes} (${Number.isInteger(v) ? v : v.toFixed(1)} ${unit})`;
}
