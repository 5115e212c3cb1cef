import type { DiskFacts, NodeFacts, PoolFacts } from '@pvefleet/jobs';
import { z } from 'zod';
import type { DesiredField } from '../desired-field';
import { zfsCreateParams } from '../../../jobs/src/kinds/zfscreate/zfscreate-params';

const BY_ID = '/dev/disk/by-id/';
const MAX_POOLS = 32;
const DEVICE_LISTS = ['devices', 'cache', 'log'] as const;

/**
 * The pools a node must have, each a `zfscreate` spec (so its own checks and messages), every device
 * named by its stable `/dev/disk/by-id/` link: `/dev/sdb` may name another disk after a reboot.
 */
const poolsValue = z
  .array(zfsCreateParams)
  .max(MAX_POOLS, `at most ${MAX_POOLS} pools`)
  .superRefine((pools, ctx) => {
    pools.forEach((p, i) => {
      if (pools.findIndex((o) => o.name === p.name) < i)
        ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate pool '${p.name}'` });
      for (const list of DEVICE_LISTS) {
        p[list].forEach((dev, j) => {
          if (!dev.startsWith(BY_ID)) ctx.addIssue({ code: 'custom', path: [i, list, j], message: `must be a ${BY_ID} path` });
        });
      }
    });
  });
export type ZfsPoolsValue = z.infer<typeof poolsValue>;
type PoolSpec = ZfsPoolsValue[number];

interface ObservedPool {
  name: string;
  health: string;
  /** Devices by disk path (`/dev/sdb`), partitions and links resolved, as `zpool status` vdevs. */
  vdevs: { type: string; devices: string[] }[];
  cache: string[];
  log: string[];
}

export interface ZfsPoolsObserved {
  pools: ObservedPool[];
  /** The by-id links of the disks the pools use, to their disk path (so declared devices compare). */
  byId: Record<string, string>;
}

/** The disk a pool member is on: a path or by-id link, or their first partition (`-part1`, `sdb1`, `nvme0n1p1`). */
function diskOf(disks: readonly DiskFacts[], name: string): DiskFacts | undefined {
  const full = name.startsWith('/') ? name : `/dev/${name}`;
  const candidates = [
    full,
    `${BY_ID}${name}`,
    full.replace(/-part\d+$/, ''),
    full.replace(/(\d)p\d+$/, '$1'),
    full.replace(/^(\/dev\/(?:[shv]|xv)d[a-z]+)\d+$/, '$1'),
  ];
  for (const c of candidates) {
    const d = disks.find((x) => x.path === c || x.byId.includes(c));
    if (d) return d;
  }
  return undefined;
}

const VDEV_TYPE: Record<PoolSpec['raidLevel'], string> = {
  single: 'disk',
  mirror: 'mirror',
  raid10: 'mirror',
  raidz: 'raidz1',
  raidz2: 'raidz2',
  raidz3: 'raidz3',
};

/** The layout a spec asks for (raid10: one mirror per pair, in order), devices mapped through `byId`. */
function wantedLayout(p: PoolSpec, byId: Record<string, string>): Omit<ObservedPool, 'name' | 'health'> {
  const key = (d: string) => byId[d] ?? d;
  const type = VDEV_TYPE[p.raidLevel];
  const devices = p.devices.map(key);
  const vdevs =
    p.raidLevel === 'raid10'
      ? devices.flatMap((_, i) => (i % 2 === 0 ? [{ type, devices: devices.slice(i, i + 2) }] : []))
      : [{ type, devices }];
  return { vdevs, cache: p.cache.map(key), log: p.log.map(key) };
}

/** e.g. `mirror(/dev/sdb /dev/sdc), cache /dev/sdf`: devices sorted, so equal layouts give equal strings. */
function layoutKey(l: Omit<ObservedPool, 'name' | 'health'>): string {
  const sorted = (xs: string[]) => [...xs].sort().join(' ');
  return [
    l.vdevs
      .map((v) => `${v.type}(${sorted(v.devices)})`)
      .sort()
      .join(' '),
    ...(l.cache.length ? [`cache ${sorted(l.cache)}`] : []),
    ...(l.log.length ? [`log ${sorted(l.log)}`] : []),
  ].join(', ');
}

/** Why each declared pool is not on the node as declared (missing, or another layout). */
interface PoolProblem {
  pool: PoolSpec;
  problem: string;
  missing: boolean;
}

function poolProblems(desired: ZfsPoolsValue, observed: ZfsPoolsObserved): PoolProblem[] {
  return desired.flatMap((p): PoolProblem[] => {
    const have = observed.pools.find((o) => o.name === p.name);
    if (!have) return [{ pool: p, problem: `pool '${p.name}' does not exist`, missing: true }];
    const want = layoutKey(wantedLayout(p, observed.byId));
    const is = layoutKey(have);
    // An existing pool is never recreated: a different layout is drift to resolve by hand.
    return want === is ? [] : [{ pool: p, problem: `pool '${p.name}' is ${is}, wants ${want}`, missing: false }];
  });
}

export const zfsPoolsField: DesiredField<ZfsPoolsValue, ZfsPoolsObserved> = {
  key: 'zfsPools',
  description: 'ZFS pools by /dev/disk/by-id device (creating one destroys what is on its disks)',
  scope: 'node',
  defaultMode: 'enforce',
  schema: poolsValue,
  observe(facts: NodeFacts) {
    if (facts.pools === null) return null;
    const disks = facts.disks ?? [];
    const byId: Record<string, string> = {};
    const key = (name: string) => {
      const d = diskOf(disks, name);
      if (!d) return name;
      for (const link of d.byId) byId[link] = d.path;
      return d.path;
    };
    const pools = facts.pools.map((p: PoolFacts) => ({
      name: p.name,
      health: p.health,
      vdevs: p.vdevs.map((v) => ({ type: v.type, devices: v.devices.map(key) })),
      cache: p.cache.map(key),
      log: p.log.map(key),
    }));
    return { pools, byId };
  },
  differs(desired, observed) {
    const problems = poolProblems(desired, observed);
    return problems.length ? problems.map((p) => p.problem).join('; ') : undefined;
  },
  fix(desired, facts) {
    const observed = zfsPoolsField.observe?.(facts) ?? null;
    if (!observed) return [];
    // Only missing pools are created; their devices are what a reconcile must have confirmed.
    return poolProblems(desired, observed)
      .filter((p) => p.missing)
      .map(({ pool }) => ({ type: 'zfscreate' as const, params: { ...pool }, destroys: [...pool.devices, ...pool.cache, ...pool.log] }));
  },
};
