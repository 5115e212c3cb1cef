import type { ZfsArcFacts } from '../../../node-facts';
import { fileFromSection } from './file-content';

/** `options zfs …` in modprobe.d syntax: the module's name, then its `param=value` words. */
const ZFS_OPTIONS = /^\s*options\s+zfs\s+(.*)$/;

/** The zfs_arc_max that the last `options zfs … zfs_arc_max=N` line of a modprobe.d file sets, or null. */
export function configuredArcMax(conf: string): number | null {
  let value: number | null = null;
  for (const line of conf.split('\n')) {
    const m = ZFS_OPTIONS.exec(line.replace(/#.*$/, ''));
    if (!m) continue;
    for (const word of m[1].trim().split(/\s+/)) {
      const p = /^zfs_arc_max=(\d+)$/.exec(word);
      if (p) value = Number(p[1]);
    }
  }
  return value;
}

/**
 * /sys/module/zfs/parameters/zfs_arc_max and /etc/modprobe.d/zfs.conf (the seed's "Limit ZFS Memory
 * Usage"). Null when the module parameter could not be read: no zfs module loaded.
 */
export function parseZfsArc(live: string, conf: string): ZfsArcFacts | null {
  const now = live.trim();
  if (!/^\d+$/.test(now)) return null;
  const text = fileFromSection(conf);
  return { live: Number(now), configured: text === null ? null : configuredArcMax(text), conf: text };
}
