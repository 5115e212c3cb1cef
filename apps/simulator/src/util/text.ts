/** Left-justify (`%-Ns`). */
export const ljust = (s: string | number, n: number): string => String(s).padEnd(n, ' ');
/** Right-justify (`%Ns`). */
export const rjust = (s: string | number, n: number): string => String(s).padStart(n, ' ');

/**
 * A string's characters as the simulated tools count them (`cut -c`, `tr`, column widths): code points, so a
 * tree-drawing character or a non-ASCII letter is one character. Grapheme clusters would be closer to a terminal
 * but no simulated output needs them.
 */
// eslint-disable-next-line @typescript-eslint/no-misused-spread -- code points are the unit wanted here (see above)
export const codePoints = (s: string): string[] => [...s];

/** Joins lines and ends the block with a newline, as a CLI prints it. */
export const lines = (rows: readonly string[]): string => (rows.length ? rows.join('\n') + '\n' : '');

/**
 * Perl's JSON canonical encoding (sorted keys, compact), as pvesh/pvenode
 * print with `--output-format json`.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** ZFS `zfs_nicenum`: 1024-based, three significant digits (`3.62T`, `928G`, `96K`). */
export function zfsNicenum(bytes: number): string {
  const units = ['', 'K', 'M', 'G', 'T', 'P', 'E'];
  let n = bytes;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  if (u === 0) return String(Math.round(n));
  if (n < 10) return `${(Math.floor(n * 100) / 100).toFixed(2)}${units[u]}`;
  if (n < 100) return `${(Math.floor(n * 10) / 10).toFixed(1)}${units[u]}`;
  return `${Math.floor(n)}${units[u]}`;
}

/** lsblk's human size (`465.8G`, `1007K`, `4T`). */
export function humanSize(bytes: number): string {
  const units = ['B', 'K', 'M', 'G', 'T', 'P'];
  let n = bytes;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  const r = Math.round(n * 10) / 10;
  return `${Number.isInteger(r) ? r.toFixed(0) : r.toFixed(1)}${units[u]}`;
}

/** Ceph's byte units (`449 KiB`, `13 GiB`, `5.2 TiB`). */
export function cephBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let n = bytes;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return `${n < 10 && u > 0 ? (Math.round(n * 10) / 10).toString() : Math.round(n)} ${units[u]}`;
}
