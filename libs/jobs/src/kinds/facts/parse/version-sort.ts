/**
 * Compares version strings the way `sort -V` and dpkg do (Debian's verrevcmp): digit runs
 * numerically, everything else character by character with `~` before the end of the string and
 * letters before other characters. So 6.5.13-6-pve < 6.11.11-2-pve, which plain text order gets wrong.
 */
export function compareVersions(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const diff = order(a[i]) - order(b[j]);
      if (diff !== 0) return diff;
      i++;
      j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    let firstDiff = 0;
    while (isDigit(a[i]) && isDigit(b[j])) {
      if (firstDiff === 0) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a[i])) return 1;
    if (isDigit(b[j])) return -1;
    if (firstDiff !== 0) return firstDiff;
  }
  return 0;
}

/** Ascending by version; equal versions keep a stable, plain-text order. */
export function sortVersions(versions: Iterable<string>): string[] {
  return [...versions].sort((a, b) => compareVersions(a, b) || (a < b ? -1 : a > b ? 1 : 0));
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** verrevcmp's weight of one character: end of string and digits 0, `~` lowest, letters before the rest. */
function order(c: string | undefined): number {
  if (c === undefined || isDigit(c)) return 0;
  if (c === '~') return -1;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
}
