/**
 * What `proxmox-boot-tool kernel list` says about the next boot (pve-commands §2.4, pve-outputs §11.1).
 * The tool sorts as text, so "newest" is decided here by version (6.5.13 < 6.11.11, unlike text order).
 */
export interface KernelList {
  /** Every kernel listed (manual and automatic), version-sorted ascending. */
  listed: string[];
  pinned: string | null;
  nextBootPin: string | null;
  /** The kernel the next boot runs: the next-boot pin, else the pin, else the newest listed; null if none. */
  next: string | null;
}

const HEADINGS: Record<string, 'listed' | 'pinned' | 'nextBootPin'> = {
  'Manually selected kernels:': 'listed',
  'Automatically selected kernels:': 'listed',
  'Pinned kernel:': 'pinned',
  'Kernel pinned on next-boot:': 'nextBootPin',
};

export function parseKernelList(stdout: string): KernelList {
  const found = { listed: [] as string[], pinned: [] as string[], nextBootPin: [] as string[] };
  let block: keyof typeof found | undefined;
  for (const raw of stdout.split('\n')) {
    const line = raw.trim();
    if (line in HEADINGS) block = HEADINGS[line];
    else if (line === '') block = undefined;
    else if (block && line !== 'None.' && !/\s/.test(line)) found[block].push(line);
  }
  const listed = [...new Set(found.listed)].sort(compareVersions);
  const pinned = found.pinned[0] ?? null;
  const nextBootPin = found.nextBootPin[0] ?? null;
  return { listed, pinned, nextBootPin, next: nextBootPin ?? pinned ?? listed.at(-1) ?? null };
}

/** Debian's verrevcmp (what `sort -V` and dpkg do): digit runs compare as numbers, `~` sorts first. */
export function compareVersions(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const diff = weight(a[i]) - weight(b[j]);
      if (diff !== 0) return diff;
      i++;
      j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    let first = 0;
    while (isDigit(a[i]) && isDigit(b[j])) {
      if (first === 0) first = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a[i])) return 1;
    if (isDigit(b[j])) return -1;
    if (first !== 0) return first;
  }
  return 0;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** End of string and digits weigh 0, `~` below everything, letters before other characters. */
function weight(c: string | undefined): number {
  if (c === undefined || isDigit(c)) return 0;
  if (c === '~') return -1;
  return /[A-Za-z]/.test(c) ? c.charCodeAt(0) : c.charCodeAt(0) + 256;
}
