/**
 * Debian version ordering (dpkg's verrevcmp), enough for apt's "is newer"
 * decisions and `sort -V` on kernel versions.
 */
export function compareDebianVersions(a: string, b: string): number {
  const pa = split(a);
  const pb = split(b);
  if (pa.epoch !== pb.epoch) return pa.epoch - pb.epoch;
  return verrevcmp(pa.upstream, pb.upstream) || verrevcmp(pa.revision, pb.revision);
}

function split(v: string): { epoch: number; upstream: string; revision: string } {
  let rest = v;
  let epoch = 0;
  const colon = rest.indexOf(':');
  if (colon > 0) {
    epoch = Number(rest.slice(0, colon)) || 0;
    rest = rest.slice(colon + 1);
  }
  const dash = rest.lastIndexOf('-');
  return dash >= 0 ? { epoch, upstream: rest.slice(0, dash), revision: rest.slice(dash + 1) } : { epoch, upstream: rest, revision: '' };
}

function order(c: string | undefined): number {
  if (c === undefined) return 0;
  if (c === '~') return -1;
  if (/[0-9]/.test(c)) return 0;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
}

function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !/[0-9]/.test(a[i])) || (j < b.length && !/[0-9]/.test(b[j]))) {
      const ac = order(a[i]);
      const bc = order(b[j]);
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    while (i < a.length && /[0-9]/.test(a[i]) && j < b.length && /[0-9]/.test(b[j])) {
      if (!firstDiff) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (i < a.length && /[0-9]/.test(a[i])) return 1;
    if (j < b.length && /[0-9]/.test(b[j])) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}
