import type { NodeProgram, SimNode } from '../model/node';
import type { CommandContext } from '../shell/command';
import { out } from '../shell/command';
import { cephAge } from '../util/time';
import { cephBytes } from '../util/text';
import { VALID_OSD_FLAGS } from '../model/ceph';
import { osdDump, osdTreeJson } from './ceph-osd';

const OBJECTS = 3404;
const PGS = 129;
const OSD_BYTES = 959_868_000_000;

interface Health {
  status: 'HEALTH_OK' | 'HEALTH_WARN';
  checks: [string, string, number][];
  down: string[];
  downOsds: number;
  degradedObjects: number;
  degradedPgs: number;
}

/** Health from membership and flags: OSDs of a down node are down, its mon is out of quorum (pve-outputs §4). */
function health(node: SimNode): Health {
  const c = node.cluster;
  const ceph = c.ceph as NonNullable<typeof c.ceph>;
  const down = c.nodes.filter((n) => n.power !== 'online').map((n) => n.name);
  const downOsds = down.reduce((s, n) => s + ceph.osdsOf(n).length, 0);
  const checks: [string, string, number][] = [];
  const monsDown = ceph.mons.filter((m) => down.includes(m));
  if (monsDown.length)
    checks.push([
      'MON_DOWN',
      `${monsDown.length}/${ceph.mons.length} mons down, quorum ${ceph.mons.filter((m) => !down.includes(m)).join(',')}`,
      monsDown.length,
    ]);
  const flags = [...ceph.flags].filter((f) => f !== 'pglog_hardlimit');
  if (flags.length) checks.push(['OSDMAP_FLAGS', `${flags.join(',')} flag(s) set`, flags.length]);
  const degradedPgs = Math.min(PGS, Math.round(((PGS * downOsds) / Math.max(1, ceph.totalOsds)) * 2));
  const degradedObjects = Math.round((OBJECTS * 3 * downOsds) / Math.max(1, ceph.totalOsds));
  if (downOsds) {
    checks.push(['OSD_DOWN', `${downOsds} osds down`, downOsds]);
    checks.push(['OSD_HOST_DOWN', `${down.length} host${down.length > 1 ? 's' : ''} (${downOsds} osds) down`, down.length]);
    checks.push([
      'PG_DEGRADED',
      `Degraded data redundancy: ${degradedObjects}/${OBJECTS * 3} objects degraded (${((degradedObjects / (OBJECTS * 3)) * 100).toFixed(3)}%), ${degradedPgs} pgs degraded, ${degradedPgs} pgs undersized`,
      degradedPgs * 2,
    ]);
  }
  checks.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return { status: checks.length ? 'HEALTH_WARN' : 'HEALTH_OK', checks, down, downOsds, degradedObjects, degradedPgs };
}

const NOT_INITIALISED = "Error initializing cluster client: ObjectNotFound('RADOS object not found (error calling conf_read_file)')\n";

/** ceph (-s/status, health, osd set|unset|tree|dump) and pveceph status. */
export const cephPrograms: Record<string, NodeProgram> = {
  ceph: (node, ctx) => {
    if (!node.cluster.ceph) return (ctx.io.stderr.write(NOT_INITIALISED), 1);
    const args = ctx.argv.slice(1);
    const fmtIdx = args.findIndex((a) => a === '--format' || a === '-f' || a.startsWith('--format='));
    const format = fmtIdx < 0 ? 'plain' : args[fmtIdx].includes('=') ? args[fmtIdx].split('=')[1] : args[fmtIdx + 1];
    const words = args.filter((a, i) => !a.startsWith('-') && !(fmtIdx >= 0 && i === fmtIdx + 1));
    if (args[0] === '-s' || words[0] === 'status' || words[0] === '-s')
      return format.startsWith('json') ? statusJson(node, ctx, format) : statusText(node, ctx);
    if (words[0] === 'health') {
      const h = health(node);
      out(ctx, h.checks.length ? `${h.status} ${h.checks.map((c) => c[1]).join('; ')}\n` : 'HEALTH_OK\n');
      return 0;
    }
    if (words[0] === 'osd' && (words[1] === 'set' || words[1] === 'unset')) return osdFlag(node, ctx, words[1], words[2]);
    if (words[0] === 'osd' && words[1] === 'tree') return format.startsWith('json') ? osdTreeJson(node, ctx, format) : osdTree(node, ctx);
    if (words[0] === 'osd' && words[1] === 'dump') return osdDump(node, ctx, format);
    ctx.io.stderr.write(`no valid command found; 10 closest matches:\nError EINVAL: invalid command\n`);
    return 22;
  },
  pveceph: (node, ctx) => {
    if (ctx.argv[1] !== 'status') return (ctx.io.stderr.write(`ERROR: unknown command 'pveceph ${ctx.argv[1] ?? ''}'\n`), 255);
    if (!node.cluster.ceph) return (ctx.io.stderr.write("pveceph configuration not initialized - missing '/etc/pve/ceph.conf'\n"), 255);
    return statusText(node, ctx);
  },
};

function osdFlag(node: SimNode, ctx: CommandContext, verb: string, flag: string | undefined): number {
  const ceph = node.cluster.ceph as NonNullable<typeof node.cluster.ceph>;
  if (!flag || !VALID_OSD_FLAGS.includes(flag)) {
    ctx.io.stderr.write(
      `Invalid command: ${flag ?? ''} not in ${VALID_OSD_FLAGS.join('|')}\nosd ${verb} ${VALID_OSD_FLAGS.join('|')} [--yes-i-really-mean-it] :  set <key>\nError EINVAL: invalid command\n`,
    );
    return 22;
  }
  if (verb === 'set') ceph.flags.add(flag);
  else ceph.flags.delete(flag);
  ceph.osdMapEpoch++;
  ctx.io.stderr.write(`${flag} is ${verb}\n`);
  return 0;
}

function statusText(node: SimNode, ctx: CommandContext): number {
  const ceph = node.cluster.ceph as NonNullable<typeof node.cluster.ceph>;
  const h = health(node);
  const now = node.sim.now();
  const upMons = ceph.mons.filter((m) => !h.down.includes(m));
  const total = ceph.totalOsds;
  const flagsLine = ceph.flags.size ? `\n         flags ${[...ceph.flags].join(',')}` : '';
  const mgrs = upMons;
  const age = cephAge((now - ceph.lastOsdChange) / 1000);
  const used = total * 4.5e9;
  const pgLines = h.degradedPgs
    ? `${h.degradedObjects}/${OBJECTS * 3} objects degraded (${((h.degradedObjects / (OBJECTS * 3)) * 100).toFixed(3)}%)\n             ${h.degradedPgs} active+undersized+degraded\n             ${PGS - h.degradedPgs} active+clean`
    : `${PGS} active+clean`;
  out(
    ctx,
    `  cluster:
    id:     ${ceph.fsid}
    health: ${h.status}
${h.checks.map((c) => `            ${c[1]}\n`).join('')} 
  services:
    mon: ${ceph.mons.length} daemons, quorum ${upMons.join(',')} (age ${age})${h.down.some((d) => ceph.mons.includes(d)) ? `, out of quorum: ${ceph.mons.filter((m) => h.down.includes(m)).join(', ')}` : ''}
    mgr: ${mgrs[0] ?? 'none'}(active, since ${cephAge((now - node.cluster.createdAt) / 1000 + 3 * 86400)})${mgrs.length > 1 ? `, standbys: ${mgrs.slice(1).join(', ')}` : ''}
    osd: ${total} osds: ${total - h.downOsds} up (since ${age}), ${total} in (since ${cephAge((now - ceph.createdAt) / 1000)})${flagsLine}
 
  data:
    pools:   2 pools, ${PGS} pgs
    objects: ${(OBJECTS / 1000).toFixed(2)}k objects, 13 GiB
    usage:   ${cephBytes(used)} used, ${cephBytes(total * OSD_BYTES - used)} / ${cephBytes(total * OSD_BYTES)} avail
    pgs:     ${pgLines}
 
`,
  );
  return 0;
}

function statusJson(node: SimNode, ctx: CommandContext, format: string): number {
  const ceph = node.cluster.ceph as NonNullable<typeof node.cluster.ceph>;
  const h = health(node);
  const total = ceph.totalOsds;
  const upMons = ceph.mons.filter((m) => !h.down.includes(m));
  const checks = Object.fromEntries(
    h.checks.map(([code, message, count]) => [code, { severity: 'HEALTH_WARN', summary: { message, count }, muted: false }]),
  );
  const pgsByState = h.degradedPgs
    ? [
        { state_name: 'active+undersized+degraded', count: h.degradedPgs },
        { state_name: 'active+clean', count: PGS - h.degradedPgs },
      ]
    : [{ state_name: 'active+clean', count: PGS }];
  const degraded = h.degradedPgs
    ? { degraded_objects: h.degradedObjects, degraded_total: OBJECTS * 3, degraded_ratio: h.degradedObjects / (OBJECTS * 3) }
    : {};
  const body = {
    fsid: ceph.fsid,
    health: { status: h.status, checks, mutes: [] },
    election_epoch: 58,
    quorum: upMons.map((m) => ceph.mons.indexOf(m)),
    quorum_names: upMons,
    quorum_age: Math.floor((node.sim.now() - ceph.lastOsdChange) / 1000),
    monmap: { epoch: 3, min_mon_release_name: 'squid', num_mons: ceph.mons.length },
    osdmap: {
      epoch: ceph.osdMapEpoch,
      num_osds: total,
      num_up_osds: total - h.downOsds,
      osd_up_since: Math.floor(ceph.lastOsdChange / 1000),
      num_in_osds: total,
      osd_in_since: Math.floor(ceph.createdAt / 1000),
      num_remapped_pgs: 0,
    },
    pgmap: {
      pgs_by_state: pgsByState,
      num_pgs: PGS,
      num_pools: 2,
      num_objects: OBJECTS,
      data_bytes: 13958643712,
      bytes_used: total * 4.5e9,
      bytes_avail: total * (OSD_BYTES - 4.5e9),
      bytes_total: total * OSD_BYTES,
      ...degraded,
    },
    fsmap: { epoch: 1, by_rank: [], 'up:standby': 0 },
    mgrmap: { available: true, num_standbys: Math.max(0, upMons.length - 1), modules: ['iostat', 'nfs', 'restful'], services: {} },
    servicemap: { epoch: 7, modified: new Date(node.cluster.createdAt).toISOString().replace('Z', '000+0000'), services: {} },
    progress_events: {},
  };
  out(ctx, `\n${format === 'json-pretty' ? JSON.stringify(body, null, 4) : JSON.stringify(body)}\n`);
  return 0;
}

function osdTree(node: SimNode, ctx: CommandContext): number {
  const ceph = node.cluster.ceph as NonNullable<typeof node.cluster.ceph>;
  const rows: string[][] = [['ID', 'CLASS', 'WEIGHT', 'TYPE NAME', 'STATUS', 'REWEIGHT', 'PRI-AFF']];
  const w = 0.87329;
  rows.push(['-1', '', (w * ceph.totalOsds).toFixed(5), 'root default', '', '', '']);
  node.cluster.nodes.forEach((n, i) => {
    const ids = ceph.osdsOf(n.name);
    rows.push([String(-3 - 2 * i), '', (w * ids.length).toFixed(5), `    host ${n.name}`, '', '', '']);
    for (const id of ids)
      rows.push([String(id), 'ssd', w.toFixed(5), `        osd.${id}`, n.power === 'online' ? 'up' : 'down', '1.00000', '1.00000']);
  });
  const width = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const left = new Set([3]);
  out(
    ctx,
    rows.map((r, ri) => r.map((c, i) => (ri === 0 || left.has(i) ? c.padEnd(width[i]) : c.padStart(width[i]))).join('  ')).join('\n') +
      '\n',
  );
  return 0;
}
