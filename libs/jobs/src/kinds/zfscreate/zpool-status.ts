import type { PoolLayout } from './pool-layout';

export interface PoolStatus {
  name: string;
  /** The ` state:` line: ONLINE, DEGRADED, … */
  state: string;
  layout: PoolLayout;
  /** Every leaf device with its STATE column, e.g. `/dev/sdb1` → ONLINE. */
  leaves: { name: string; state: string }[];
}

/** `mirror-0`, `raidz2-1`, `draid1:…-0`, and the transient `replacing-0`/`spare-0`. */
const INTERIOR = /^(mirror|raidz[123]?|draid[123]?(?::\S*)?|replacing|spare)-\d+$/;

/**
 * One pool's `zpool status [-P] NAME` (pve-outputs §12.1): the config table's rows start with a TAB
 * and two spaces of indent per level. Level 0 is the pool or a class heading (`logs`, `cache`,
 * `spares`, `special`, `dedup`), level 1 a top-level vdev, deeper levels the disks inside it.
 */
export function parseZpoolStatus(text: string): PoolStatus | undefined {
  const header = /^\s*pool:\s*(\S+)/m.exec(text);
  if (!header) return undefined;
  const status: PoolStatus = {
    name: header[1],
    state: /^\s*state:\s*(\S+)/m.exec(text)?.[1] ?? '',
    layout: { vdevs: [], cache: [], log: [] },
    leaves: [],
  };
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^\tNAME\s+STATE\b/.test(l));
  if (start < 0) return status;
  let section = '';
  let group: PoolLayout['vdevs'][number] | undefined;
  for (const line of lines.slice(start + 1)) {
    const row = /^\t( *)(\S+)(?:\s+(\S+))?/.exec(line);
    if (!row) break; // the blank line before `errors:` ends the table
    const depth = row[1].length / 2;
    const name = row[2];
    if (depth === 0) {
      section = name === status.name ? 'data' : name;
      group = undefined;
      continue;
    }
    const interior = INTERIOR.exec(name);
    if (depth === 1 && section === 'data') {
      group = { type: interior ? vdevType(interior[1]) : 'disk', devices: [] };
      status.layout.vdevs.push(group);
    }
    if (interior) continue;
    status.leaves.push({ name, state: row.at(3) ?? '' });
    if (section === 'data') group?.devices.push(name);
    else if (section === 'logs') status.layout.log.push(name);
    else if (section === 'cache') status.layout.cache.push(name);
  }
  return status;
}

/** `raidz` without a digit is single parity; a replacing/spare vdev at the top stands for one disk. */
function vdevType(kind: string): string {
  if (kind === 'raidz') return 'raidz1';
  if (kind === 'replacing' || kind === 'spare') return 'disk';
  return kind.split(':')[0];
}
