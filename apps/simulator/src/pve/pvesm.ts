import type { NodeProgram, SimNode } from '../model/node';
import type { CommandContext } from '../shell/command';
import { out } from '../shell/command';
import { formatStorageCfg, parseStorageCfg, propsWithout, StorageEntry, storageProp } from '../model/storage-cfg';
import { compareDebianVersions } from '../util/debian-version';
import { die, paramError, pveOptions } from './util';

const CFG = '/etc/pve/storage.cfg';
const STORAGE_ID = /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i;
/** `pve-node` (pve-common JSONSchema.pm); `nodes` is a comma-separated list of them. */
const PVE_NODE = /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
const CONTENT = ['images', 'rootdir', 'vztmpl', 'iso', 'backup', 'snippets', 'import'];
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  zfspool: ['images', 'rootdir'],
  lvmthin: ['images', 'rootdir'],
  lvm: ['images', 'rootdir'],
  dir: CONTENT,
  nfs: CONTENT,
  cifs: CONTENT,
  rbd: ['images', 'rootdir'],
  cephfs: ['vztmpl', 'iso', 'backup', 'snippets', 'import'],
};

/** `pvesm add|set|remove|status`, reading and writing the shared storage.cfg. */
export const pvesmPrograms: Record<string, NodeProgram> = {
  pvesm: (node, ctx) => {
    const verb = ctx.argv.at(1);
    const { opts, positional } = pveOptions(ctx.argv.slice(2));
    if (verb === 'add') return add(node, ctx, positional, opts);
    if (verb === 'set') return set(node, ctx, positional, opts);
    if (verb === 'remove') {
      const entries = parseStorageCfg(node.fs.tryRead(CFG) ?? '');
      const idx = entries.findIndex((e) => e.id === positional[0]);
      if (idx < 0) return die(ctx, `delete storage failed: storage ID '${positional[0] ?? ''}' does not exist`);
      entries.splice(idx, 1);
      node.fs.writeFile(CFG, formatStorageCfg(entries));
      return 0;
    }
    if (verb === 'status') return status(node, ctx, opts);
    return die(ctx, `ERROR: unknown command 'pvesm ${verb ?? ''}'`);
  },
};

function add(node: SimNode, ctx: CommandContext, positional: string[], opts: Map<string, string>): number {
  const type = positional.at(0);
  const id = positional.at(1);
  const usage = `pvesm add <type> <storage> [OPTIONS]`;
  const allowed = type === undefined ? undefined : allowedContent(type);
  if (!type || !allowed)
    return paramError(
      ctx,
      { type: `value '${type ?? ''}' does not have a value in the enumeration '${Object.keys(ALLOWED).join(', ')}'` },
      usage,
    );
  if (!id || id.length < 2 || !STORAGE_ID.test(id))
    return paramError(ctx, { storage: `invalid format - storage ID '${id ?? ''}' contains illegal characters` }, usage);
  const content = (opts.get('content') ?? allowed.join(',')).split(',');
  const bad = content.find((c) => !allowed.includes(c));
  if (bad) return die(ctx, `create storage failed: content type '${bad}' is not allowed`);
  const badNodes = nodesProblem(opts);
  if (badNodes) return paramError(ctx, { nodes: badNodes }, usage);
  const entries = parseStorageCfg(node.fs.tryRead(CFG) ?? '');
  if (entries.some((e) => e.id === id)) return die(ctx, `create storage failed: storage ID '${id}' already defined`);
  if (type === 'zfspool') {
    const pool = opts.get('pool');
    if (!pool) return paramError(ctx, { pool: 'property is missing and it is not optional' }, usage);
    if (!node.zpools.has(pool.split('/')[0]))
      return die(ctx, `create storage failed: zfs error: cannot open '${pool}': dataset does not exist`);
  }
  const props: Record<string, string> = {};
  const order = ['path', 'pool', 'vgname', 'thinpool', 'server', 'export', 'content', 'nodes', 'sparse', 'blocksize', 'shared', 'disable'];
  const given = new Map(opts);
  given.set('content', content.join(','));
  for (const k of [...order, ...[...given.keys()].filter((k) => !order.includes(k)).sort()]) {
    const value = given.get(k);
    if (value !== undefined) props[k] = value;
  }
  entries.push({ type, id, props });
  node.fs.writeFile(CFG, formatStorageCfg(entries));
  return 0;
}

/**
 * `pvesm set <storage> [--nodes a,b] [--content …] [--disable 0|1] [--delete nodes,…]`: updates one
 * entry in place. `--nodes` replaces the whole list (PVE has no "add a node"), which is why callers
 * read the list first; `--delete nodes` makes the storage every node's again.
 */
function set(node: SimNode, ctx: CommandContext, positional: string[], opts: Map<string, string>): number {
  const id = positional.at(0);
  const usage = 'pvesm set <storage> [OPTIONS]';
  if (!id) return paramError(ctx, { storage: 'property is missing and it is not optional' }, usage);
  const badNodes = nodesProblem(opts);
  if (badNodes) return paramError(ctx, { nodes: badNodes }, usage);
  const entries = parseStorageCfg(node.fs.tryRead(CFG) ?? '');
  const entry = entries.find((e) => e.id === id);
  if (!entry)
    return die(ctx, `update storage failed: error during cfs-locked 'file-storage_cfg' operation: storage '${id}' does not exist`);
  const content = opts.get('content');
  const bad = content?.split(',').find((c) => !(allowedContent(entry.type) ?? CONTENT).includes(c));
  if (bad) return die(ctx, `update storage failed: content type '${bad}' is not allowed`);
  entry.props = propsWithout(entry, (opts.get('delete') ?? '').split(',').filter(Boolean));
  for (const [key, value] of opts) if (key !== 'delete' && key !== 'digest') entry.props[key] = value;
  node.fs.writeFile(CFG, formatStorageCfg(entries));
  return 0;
}

/** The content types a storage type allows, or undefined for a type pvesm does not know. */
function allowedContent(type: string): readonly string[] | undefined {
  return Object.hasOwn(ALLOWED, type) ? ALLOWED[type] : undefined;
}

function nodesProblem(opts: Map<string, string>): string | undefined {
  const nodes = opts.get('nodes');
  if (nodes === undefined) return undefined;
  const bad = nodes.split(',').find((n) => !PVE_NODE.test(n.trim()));
  return bad === undefined ? undefined : `invalid format - value '${bad}' does not look like a valid node name`;
}

/** `pvesm status`: storages enabled for this node; header wording depends on libpve-storage-perl (pve-commands §6.4). */
function status(node: SimNode, ctx: CommandContext, opts: Map<string, string>): number {
  const entries = parseStorageCfg(node.fs.tryRead(CFG) ?? '').filter((e) => {
    const nodes = storageProp(e, 'nodes');
    return !nodes || nodes.split(',').includes(node.name);
  });
  const only = opts.get('storage');
  const shown = only ? entries.filter((e) => e.id === only) : entries;
  const rows = shown.map((e) => ({ e, ...usage(node, e) }));
  const w = Math.max(4, ...shown.map((e) => e.id.length));
  const kib = compareDebianVersions(node.packages.get('libpve-storage-perl') ?? '0', '9.0.14') >= 0;
  const h = kib ? ['Total (KiB)', 'Used (KiB)', 'Available (KiB)'] : ['Total', 'Used', 'Available'];
  let text = `${'Name'.padEnd(w)} ${'Type'.padStart(10)} ${'Status'.padStart(10)} ${h[0].padStart(15)} ${h[1].padStart(15)} ${h[2].padStart(15)} ${'%'.padStart(8)}\n`;
  for (const r of rows) {
    const pct = r.status === 'disabled' ? 'N/A' : r.total ? `${((r.used / r.total) * 100).toFixed(2)}%` : '0.00%';
    text += `${r.e.id.padEnd(w)} ${r.e.type.padStart(10)} ${r.status.padStart(10)} ${String(r.total).padStart(15)} ${String(r.used).padStart(15)} ${String(r.total - r.used).padStart(15)} ${pct.padStart(8)}\n`;
  }
  out(ctx, text);
  return 0;
}

function usage(node: SimNode, e: StorageEntry): { status: string; total: number; used: number } {
  if (storageProp(e, 'disable') === '1') return { status: 'disabled', total: 0, used: 0 };
  const vgname = storageProp(e, 'vgname') ?? '';
  const thinpool = storageProp(e, 'thinpool') ?? '';
  if (e.type === 'zfspool') {
    const poolName = storageProp(e, 'pool') ?? '';
    const pool = node.zpools.get(poolName.split('/')[0]);
    if (!pool) {
      node.log('pvestatd', 'pvestatd', `zfs error: cannot open '${poolName}': no such pool`, 1200);
      return { status: 'inactive', total: 0, used: 0 };
    }
    const total = Math.floor((pool.sizeBytes * 0.96) / 1024);
    return { status: 'active', total, used: 96 };
  }
  if (e.type === 'lvmthin' && !(vgname === 'pve' && thinpool === 'data')) {
    // A thin pool made after install: its own size; inactive on a node that lacks it.
    const pool = node.lvm.lvsOf(vgname).find((l) => l.name === thinpool && l.kind === 'thin-pool');
    if (!pool) {
      node.log('pvestatd', 'pvestatd', `no such logical volume ${vgname}/${thinpool}`, 1200);
      return { status: 'inactive', total: 0, used: 0 };
    }
    return { status: 'active', total: Math.floor(pool.size / 1024), used: 0 };
  }
  if (e.type === 'lvmthin') return { status: 'active', total: 153374720, used: 109233475 };
  if (e.type === 'dir') return { status: 'active', total: 67169672, used: 48329328 };
  return { status: 'active', total: 1073741824, used: 214748364 };
}
