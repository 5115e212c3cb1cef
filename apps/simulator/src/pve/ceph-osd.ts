import type { SimNode } from '../model/node';
import type { CommandContext } from '../shell/command';
import { out } from '../shell/command';
import type { CephState } from '../model/ceph';

/**
 * OSD map flags as Ceph names them (`OSDMap::get_flag_string`), with their bits (`CEPH_OSDMAP_*`).
 * `pause` is how the CLI sets pauserd and pausewr together.
 */
const FLAG_BITS: [string, number][] = [
  ['nearfull', 0],
  ['full', 1],
  ['pauserd', 2],
  ['pausewr', 3],
  ['pauserec', 4],
  ['noup', 5],
  ['nodown', 6],
  ['noout', 7],
  ['noin', 8],
  ['nobackfill', 9],
  ['norecover', 10],
  ['noscrub', 11],
  ['nodeep-scrub', 12],
  ['notieragent', 13],
  ['norebalance', 14],
  ['sortbitwise', 15],
  ['recovery_deletes', 19],
  ['purged_snapdirs', 20],
  ['nosnaptrim', 21],
  ['pglog_hardlimit', 22],
  ['noautoscale', 23],
];
/** What a cluster created on Squid always carries. */
const DEFAULT_FLAGS = ['sortbitwise', 'recovery_deletes', 'purged_snapdirs', 'pglog_hardlimit'];

function mapFlags(ceph: CephState): string[] {
  const set = new Set(DEFAULT_FLAGS);
  for (const f of ceph.flags) (f === 'pause' ? ['pauserd', 'pausewr'] : [f]).forEach((x) => set.add(x));
  return FLAG_BITS.map(([name]) => name).filter((name) => set.has(name));
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('Z', '000+0000');
const framed = (ctx: CommandContext, body: unknown, format: string): number => {
  out(ctx, `\n${format === 'json-pretty' ? JSON.stringify(body, null, 4) : JSON.stringify(body)}\n`);
  return 0;
};

/** `ceph osd dump [--format json]`: epoch, flags (`flags`, `flags_num`, sorted `flags_set`), OSD states. */
export function osdDump(node: SimNode, ctx: CommandContext, format: string): number {
  const ceph = node.cluster.ceph as CephState;
  const flags = mapFlags(ceph);
  const osds = node.cluster.nodes.flatMap((n) => ceph.osdsOf(n.name).map((id) => ({ id, up: n.power === 'online' ? 1 : 0 })));
  const modified = iso(ceph.lastOsdChange);
  if (format.startsWith('json')) {
    const bits = new Map(FLAG_BITS);
    return framed(
      ctx,
      {
        epoch: ceph.osdMapEpoch,
        fsid: ceph.fsid,
        created: iso(ceph.createdAt),
        modified,
        last_up_change: modified,
        last_in_change: iso(ceph.createdAt),
        flags: flags.join(','),
        flags_num: flags.reduce((n, f) => n + 2 ** (bits.get(f) ?? 0), 0),
        flags_set: [...flags].sort(),
        crush_version: 9,
        full_ratio: 0.95,
        backfillfull_ratio: 0.9,
        nearfull_ratio: 0.85,
        cluster_snapshot: '',
        pool_max: 2,
        max_osd: osds.length,
        require_min_compat_client: 'luminous',
        min_compat_client: 'luminous',
        require_osd_release: 'squid',
        allow_crimson: false,
        pools: [
          { pool: 1, pool_name: '.mgr' },
          { pool: 2, pool_name: 'ceph-vm' },
        ],
        osds: osds.map((o) => ({ osd: o.id, up: o.up, in: 1, weight: 1, primary_affinity: 1 })),
      },
      format,
    );
  }
  out(
    ctx,
    [
      `epoch ${ceph.osdMapEpoch}`,
      `fsid ${ceph.fsid}`,
      `created ${iso(ceph.createdAt)}`,
      `modified ${modified}`,
      `flags ${flags.join(',')}`,
      'crush_version 9',
      'full_ratio 0.95',
      'backfillfull_ratio 0.9',
      'nearfull_ratio 0.85',
      'require_min_compat_client luminous',
      'min_compat_client luminous',
      'require_osd_release squid',
      'stretch_mode_enabled false',
      `max_osd ${osds.length}`,
      ...osds.map((o) => `osd.${o.id} ${o.up ? 'up  ' : 'down'} in  weight 1`),
    ].join('\n') + '\n',
  );
  return 0;
}

/** `ceph osd tree --format json`: the CRUSH tree depth first, children newest first as Ceph lists them. */
export function osdTreeJson(node: SimNode, ctx: CommandContext, format: string): number {
  const ceph = node.cluster.ceph as CephState;
  const hostId = (i: number): number => -3 - 2 * i;
  const nodes: unknown[] = [
    { id: -1, name: 'default', type: 'root', type_id: 11, children: node.cluster.nodes.map((_, i) => hostId(i)).reverse() },
  ];
  node.cluster.nodes.forEach((n, i) => {
    const ids = ceph.osdsOf(n.name);
    nodes.push({ id: hostId(i), name: n.name, type: 'host', type_id: 1, pool_weights: {}, children: [...ids].reverse() });
    for (const id of ids) {
      nodes.push({
        id,
        device_class: 'ssd',
        name: `osd.${id}`,
        type: 'osd',
        type_id: 0,
        crush_weight: 0.873291015625,
        depth: 2,
        pool_weights: {},
        exists: 1,
        status: n.power === 'online' ? 'up' : 'down',
        reweight: 1,
        primary_affinity: 1,
      });
    }
  });
  return framed(ctx, { nodes, stray: [] }, format);
}
