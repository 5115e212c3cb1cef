/**
 * Compares Debian version strings exactly as dpkg does (`dpkg --compare-versions`, lib/dpkg/version.c):
 * `[epoch:]upstream[-revision]`, the epoch numerically, then upstream and revision with verrevcmp.
 * verrevcmp takes digit runs numerically and everything else character by character, with `~`
 * before the end of the string and letters before other characters. So 1.0~rc1 < 1.0 < 1.0+pve1,
 * 1:0.9 > 2.0, and kernels sort as `sort -V` does (6.5.13-6-pve < 6.11.11-2-pve, which text order
 * gets wrong). The one version comparison of pvefleet: packages, kernels and migration targets.
 */
export function compareVersions(a: string, b: string): number {
  const va = splitVersion(a);
  const vb = splitVersion(b);
  return Math.sign(va.epoch - vb.epoch || verrevcmp(va.upstream, vb.upstream) || verrevcmp(va.revision, vb.revision));
}

/** Ascending by version; equal versions keep a stable, plain-text order. */
export function sortVersions(versions: Iterable<string>): string[] {
  return [...versions].sort((a, b) => compareVersions(a, b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** dpkg's parseversion: the epoch ends at the first colon, the revision starts after the last hyphen. */
function splitVersion(v: string): { epoch: number; upstream: string; revision: string } {
  const colon = v.indexOf(':');
  const epoch = colon > 0 && /^\d+$/.test(v.slice(0, colon)) ? Number(v.slice(0, colon)) : 0;
  const rest = colon > 0 && /^\d+$/.test(v.slice(0, colon)) ? v.slice(colon + 1) : v;
  const hyphen = rest.lastIndexOf('-');
  return hyphen >= 0
    ? { epoch, upstream: rest.slice(0, hyphen), revision: rest.slice(hyphen + 1) }
    : { epoch, upstream: rest, revision: '' };
}

function verrevcmp(a: string, b: string): number {
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
