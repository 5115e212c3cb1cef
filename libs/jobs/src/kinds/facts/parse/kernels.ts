import type { KernelFacts } from '../../../node-facts';
import type { FactSections } from '../facts-script';
import { sortVersions } from './version-sort';

/** The headings of `proxmox-boot-tool kernel list`, each followed by one version a line. */
const HEADINGS = {
  'Manually selected kernels:': 'manual',
  'Automatically selected kernels:': 'automatic',
  'Pinned kernel:': 'pinned',
  'Kernel pinned on next-boot:': 'nextBoot',
} as const;
type Block = (typeof HEADINGS)[keyof typeof HEADINGS];

/**
 * Kernels from `proxmox-boot-tool kernel list` and `uname -r`; null without the tool (plain Debian).
 * `installed` is what the tool lists (the kernels it keeps bootable), version-sorted because the
 * tool sorts as text. The next boot runs the next-boot pin, else the pin, else the newest kernel.
 */
export function parseKernels(s: FactSections): KernelFacts | null {
  if (s.kernelList.trim() === '') return null;
  const blocks = readBlocks(s.kernelList);
  const installed = sortVersions(new Set([...blocks.manual, ...blocks.automatic]));
  const pinned = blocks.pinned.at(0) ?? null;
  const next = blocks.nextBoot.at(0) ?? pinned ?? installed.at(-1) ?? null;
  const running = s.kernel.trim();
  return { running, installed, pinned, next, rebootRequired: next !== null && next !== running };
}

function readBlocks(text: string): Record<Block, string[]> {
  const blocks: Record<Block, string[]> = { manual: [], automatic: [], pinned: [], nextBoot: [] };
  let current: Block | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line in HEADINGS) {
      current = HEADINGS[line as keyof typeof HEADINGS];
    } else if (line === '') {
      current = undefined;
    } else if (current && line !== 'None.' && !/\s/.test(line)) {
      blocks[current].push(line);
    }
  }
  return blocks;
}
