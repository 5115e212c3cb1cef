import type { PoolFacts } from '../../../node-facts';
import type { FactSections } from '../facts-script';

type Vdev = PoolFacts['vdevs'][number];

/** Class sections in the config table; their rows are not data vdevs. */
const CLASS_HEADINGS = new Set(['logs', 'cache', 'spares', 'dedup', 'special']);

/**
 * An interior vdev: `mirror-0`, `raidz2-1`, a dRAID `draid2:4d:11c:1s-0`, or the temporary
 * `replacing-0` / `spare-0` that hold a device being replaced under a top-level vdev.
 */
const INTERIOR = /^(mirror|raidz[123]?|draid[123]?(?::\S*)?|replacing|spare)-\d+$/;

/**
 * ZFS pools from `zpool list -H -p -o name,size,health` and `zpool status -P`.
 * With no pools both commands print nothing on stdout, exactly as when zpool is missing; PVE
 * always ships zfsutils-linux, so on a PVE node that means [] and only elsewhere null (unknown).
 */
export function parsePools(s: FactSections): PoolFacts[] | null {
  if (s.poolList.trim() === '' && s.poolStatus.trim() === '') return s.pveversion.trim() === '' ? null : [];
  const layouts = readStatus(s.poolStatus);
  const pools: PoolFacts[] = [];
  for (const line of s.poolList.split('\n')) {
    const fields = line.split('\t').map((f) => f.trim());
    const [name, size, health] = fields;
    if (!name || fields.length < 3) continue;
    const layout = layouts.get(name);
    layouts.delete(name);
    pools.push({ name, health, sizeBytes: toBytes(size), vdevs: layout?.vdevs ?? [], cache: layout?.cache ?? [], log: layout?.log ?? [] });
  }
  // A pool only `zpool status` knows (list output cut short): its state line stands in for health.
  for (const [name, layout] of layouts)
    pools.push({ name, health: layout.state, sizeBytes: null, vdevs: layout.vdevs, cache: layout.cache, log: layout.log });
  return pools;
}

interface Layout {
  state: string;
  vdevs: Vdev[];
  cache: string[];
  log: string[];
}

/**
 * Each pool's config table from `zpool status`: rows start with a TAB, then two spaces of indent
 * per level. Level 0 is the pool or a class heading (`logs`, `cache`, …), level 1 a top-level
 * vdev of that section, deeper levels the devices inside it.
 */
function readStatus(text: string): Map<string, Layout> {
  const layouts = new Map<string, Layout>();
  let pool: { name: string; layout: Layout } | undefined;
  let inConfig = false;
  let section = '';
  let group: Vdev | undefined;
  for (const line of text.split('\n')) {
    const header = /^\s*pool:\s*(\S+)/.exec(line);
    if (header) {
      pool = { name: header[1], layout: { state: '', vdevs: [], cache: [], log: [] } };
      layouts.set(pool.name, pool.layout);
      inConfig = false;
      continue;
    }
    if (!pool) continue;
    const state = /^\s*state:\s*(\S+)/.exec(line);
    if (state && !inConfig) pool.layout.state = state[1];
    if (/^\tNAME\s+STATE\b/.test(line)) {
      inConfig = true;
      section = '';
      continue;
    }
    if (!inConfig) continue;
    if (!line.startsWith('\t')) {
      // The blank line (or `errors:`) after the table ends it.
      inConfig = false;
      continue;
    }
    const m = /^\t( *)(\S+)/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 2;
    const name = m[2];
    if (depth === 0) {
      section = name === pool.name ? 'pool' : CLASS_HEADINGS.has(name) ? name : '';
      group = undefined;
    } else if (depth === 1) {
      group = addTopLevel(pool.layout, section, name);
    } else if (group && !INTERIOR.test(name)) {
      group.devices.push(name);
      if (section === 'logs') pool.layout.log.push(name);
      if (section === 'cache') pool.layout.cache.push(name);
    }
  }
  return layouts;
}

/** A top-level vdev row; returns the group deeper rows add their devices to. */
function addTopLevel(layout: Layout, section: string, name: string): Vdev | undefined {
  const interior = INTERIOR.exec(name);
  const vdev: Vdev = interior ? { type: vdevType(interior[1]), devices: [] } : { type: 'disk', devices: [name] };
  if (section === 'pool') layout.vdevs.push(vdev);
  if (section === 'logs') layout.log.push(...vdev.devices);
  if (section === 'cache') layout.cache.push(...vdev.devices);
  // Spares, special and dedup devices have no place in PoolFacts; their rows are read and dropped.
  return section === 'pool' || section === 'logs' || section === 'cache' ? vdev : undefined;
}

/**
 * `raidz` alone is single parity (zpool prints `raidz1-0`); dRAID keeps its parity, not its layout.
 * A `replacing-N`/`spare-N` at the top is a single disk being replaced: still a `disk` vdev.
 */
function vdevType(kind: string): string {
  if (kind === 'raidz') return 'raidz1';
  if (kind === 'replacing' || kind === 'spare') return 'disk';
  if (kind.startsWith('draid')) return kind.split(':')[0].replace(/^draid$/, 'draid1');
  return kind;
}

function toBytes(size: string | undefined): number | null {
  if (size === undefined || !/^\d+$/.test(size)) return null;
  return Number(size);
}
