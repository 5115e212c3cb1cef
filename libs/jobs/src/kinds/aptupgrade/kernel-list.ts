import { sortVersions } from '../facts/parse/version-sort';

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
  const listed = sortVersions(new Set(found.listed));
  const pinned = found.pinned.at(0) ?? null;
  const nextBootPin = found.nextBootPin.at(0) ?? null;
  return { listed, pinned, nextBootPin, next: nextBootPin ?? pinned ?? listed.at(-1) ?? null };
}
