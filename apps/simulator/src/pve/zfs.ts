import type { NodeProgram, SimNode } from '../model/node';
import type { CommandContext } from '../shell/command';
import { out } from '../shell/command';
import { zfsNicenum } from '../util/text';
import { zpoolCreate } from './zpool-create';
import { poolDisks, type Disk, type ZPool } from '../model/disks';

/** zpool (create, list, status, destroy, get) and zfs (set, get, list). */
export const zfsPrograms: Record<string, NodeProgram> = {
  zpool: (node, ctx) => {
    const verb = ctx.argv.at(1);
    const rest = ctx.argv.slice(2);
    switch (verb) {
      case 'create':
        return zpoolCreate(node, ctx, rest);
      case 'list':
        return zpoolList(node, ctx, rest);
      case 'status':
        return zpoolStatus(
          node,
          ctx,
          rest.filter((a) => !a.startsWith('-')),
          rest.some((a) => /^-[a-zA-Z]*P/.test(a)),
        );
      case 'destroy': {
        const name = rest.filter((a) => !a.startsWith('-')).at(0);
        const pool = name ? node.zpools.get(name) : undefined;
        if (!pool) return err(ctx, `cannot open '${name ?? ''}': no such pool`);
        for (const d of poolDisks(pool)) {
          const disk = node.disks.find((x) => x.name === d);
          if (disk) disk.partitions = [];
        }
        node.zpools.delete(pool.name);
        return 0;
      }
      case 'get': {
        const operands = rest.filter((a) => !a.startsWith('-'));
        const props = operands.at(0);
        const name = operands.at(1);
        const pool = node.zpools.get(name ?? '');
        if (!pool) return err(ctx, `cannot open '${name ?? ''}': no such pool`);
        const values: Record<string, string> = { ashift: String(pool.ashift), health: pool.health, size: zfsNicenum(pool.sizeBytes) };
        const h = rest.includes('-H');
        const rows = (props ?? 'all')
          .split(',')
          .map((p) =>
            h
              ? `${pool.name}\t${p}\t${values[p] ?? '-'}\tlocal`
              : `${pool.name.padEnd(6)}  ${p.padEnd(8)}  ${(values[p] ?? '-').padEnd(5)}  local`,
          );
        out(ctx, (h ? '' : `${'NAME'.padEnd(6)}  ${'PROPERTY'.padEnd(8)}  ${'VALUE'.padEnd(5)}  SOURCE\n`) + rows.join('\n') + '\n');
        return 0;
      }
      default:
        return err(ctx, `unrecognized command '${verb ?? ''}'`, 2);
    }
  },
  zfs,
};

const err = (ctx: CommandContext, text: string, code = 1): number => (ctx.io.stderr.write(text + '\n'), code);

const alloc = (p: ZPool): number => 98_304 + p.properties.size * 4096;

function zpoolList(node: SimNode, ctx: CommandContext, args: string[]): number {
  let cols = ['name', 'size', 'alloc', 'free', 'ckpoint', 'expandsz', 'frag', 'cap', 'dedup', 'health', 'altroot'];
  let scripted = false;
  let exact = false;
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-o') cols = (args[++i] ?? '').split(',');
    else if (a.startsWith('-')) {
      if (a.includes('H')) scripted = true;
      if (a.includes('p')) exact = true;
      if (a.endsWith('o')) cols = (args[++i] ?? '').split(',');
    } else names.push(a);
  }
  const pools = [...node.zpools.values()].sort((a, b) => a.name.localeCompare(b.name));
  for (const n of names) if (!node.zpools.has(n)) return err(ctx, `cannot open '${n}': no such pool`);
  const shown = names.length ? pools.filter((p) => names.includes(p.name)) : pools;
  if (!shown.length) {
    ctx.io.stderr.write('no pools available\n');
    return 0;
  }
  const size = (b: number): string => (exact ? String(b) : zfsNicenum(b));
  const val = (p: ZPool, c: string): string => {
    const used = alloc(p);
    const map: Record<string, string> = {
      name: p.name,
      size: size(p.sizeBytes),
      alloc: size(used),
      allocated: size(used),
      free: size(p.sizeBytes - used),
      ckpoint: '-',
      expandsz: '-',
      frag: exact ? '0' : '0%',
      fragmentation: '0%',
      cap: exact ? '0' : '0%',
      capacity: '0%',
      dedup: exact ? '1.00' : '1.00x',
      dedupratio: '1.00x',
      health: p.health,
      altroot: '-',
    };
    return map[c] ?? '-';
  };
  const rows = shown.map((p) => cols.map((c) => val(p, c)));
  if (scripted) {
    out(ctx, rows.map((r) => r.join('\t')).join('\n') + '\n');
    return 0;
  }
  const table = [cols.map((c) => c.toUpperCase()), ...rows];
  const w = cols.map((_, i) => Math.max(...table.map((r) => r[i].length)));
  out(
    ctx,
    table
      .map((r) =>
        r
          .map((c, i) => (i === 0 || cols[i] === 'health' ? c.padEnd(w[i]) : c.padStart(w[i])))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n',
  );
  return 0;
}

/**
 * `zpool status [-P]`: TAB-led rows, name column sized to the longest name (min 10), pve-outputs §12.1.
 * Interior vdevs are numbered by top-level vdev id (data first, then logs), as ZFS does.
 */
function zpoolStatus(node: SimNode, ctx: CommandContext, names: string[], fullPaths: boolean): number {
  for (const n of names) if (!node.zpools.has(n)) return err(ctx, `cannot open '${n}': no such pool`);
  const pools = (names.length ? names.map((n) => node.zpools.get(n) as ZPool) : [...node.zpools.values()]).sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  if (!pools.length) {
    ctx.io.stderr.write('no pools available\n');
    return 0;
  }
  const blocks = pools.map((p) => {
    const shown = (d: string): string => leafName(node, p, d, fullPaths);
    // [depth, name, heading] — class headings print without state columns.
    const entries: [number, string, string?][] = [[0, p.name]];
    let id = 0;
    const topLevel = (v: ZPool['vdevs'][number]): void => {
      if (v.type === 'disk') entries.push([2, shown(v.devices[0])]);
      else entries.push([2, `${v.type}-${id}`], ...v.devices.map((d): [number, string] => [4, shown(d)]));
      id++;
    };
    p.vdevs.forEach(topLevel);
    if (p.logs?.length) {
      entries.push([0, 'logs', '\tlogs\t']);
      p.logs.forEach(topLevel);
    }
    if (p.cache?.length) entries.push([0, 'cache', '\tcache'], ...p.cache.map((d): [number, string] => [2, shown(d)]));
    const width = Math.max(10, ...entries.map(([depth, n]) => depth + n.length));
    const row = (depth: number, n: string): string =>
      `\t${' '.repeat(depth)}${n.padEnd(width - depth)}  ${p.health.padEnd(8)} ${'0'.padStart(5)} ${'0'.padStart(5)} ${'0'.padStart(5)}`;
    return `  pool: ${p.name}\n state: ${p.health}\nconfig:\n\n\t${'NAME'.padEnd(width)}  ${'STATE'.padEnd(8)} ${'READ'.padStart(5)} ${'WRITE'.padStart(5)} ${'CKSUM'.padStart(5)}\n${entries.map(([d, n, heading]) => heading ?? row(d, n)).join('\n')}\n\nerrors: No known data errors\n`;
  });
  out(ctx, blocks.join('\n'));
  return 0;
}

/**
 * A whole-disk vdev lives on the partition 1 zpool made: `-P` shows that path (`/dev/sdb1`,
 * `/dev/nvme0n1p1`, `…/by-id/ata-…-part1`); without it, the name given at create, partition stripped.
 */
function leafName(node: SimNode, p: ZPool, diskName: string, fullPaths: boolean): string {
  const given = p.paths?.[diskName] ?? `/dev/${diskName}`;
  if (!fullPaths) return given.slice(given.lastIndexOf('/') + 1);
  if (given.startsWith('/dev/disk/')) return `${given}-part1`;
  const disk = node.disks.find((d: Disk) => d.name === diskName);
  return disk?.kind === 'nvme' ? `${given}p1` : `${given}1`;
}

const COMPRESSION =
  /^(on|off|lzjb|gzip|gzip-[1-9]|zle|lz4|zstd|zstd-([1-9]|1[0-9])|zstd-fast|zstd-fast-([1-9]|10|20|30|40|50|60|70|80|90|100|500|1000))$/;

function zfs(node: SimNode, ctx: CommandContext): number {
  const verb = ctx.argv.at(1);
  const rest = ctx.argv.slice(2);
  const dataset = (name: string | undefined): ZPool | undefined => node.zpools.get((name ?? '').split('/')[0]);
  if (verb === 'set') {
    const assign = rest.at(0);
    const name = rest.at(1);
    const [prop, ...values] = (assign ?? '').split('=');
    const value = values.at(0);
    const pool = dataset(name);
    if (!pool) return err(ctx, `cannot open '${name ?? ''}': dataset does not exist`);
    if (prop === 'compression' && !COMPRESSION.test(value ?? '')) {
      return err(
        ctx,
        `cannot set property for '${name}': 'compression' must be one of 'on | off | lzjb | gzip | gzip-[1-9] | zle | lz4 | zstd | zstd-[1-19] | zstd-fast | zstd-fast-[1-10,20,30,40,50,60,70,80,90,100,500,1000]'`,
      );
    }
    pool.properties.set(prop, value ?? '');
    return 0;
  }
  if (verb === 'get') {
    const args = rest.filter((a) => !a.startsWith('-'));
    const scripted = rest.includes('-H');
    const valueOnly = rest.includes('value') && rest.includes('-o');
    const operands = args.filter((a) => a !== 'value');
    const props = operands.at(0);
    const name = operands.at(1);
    const pool = dataset(name);
    if (!pool) return err(ctx, `cannot open '${name ?? ''}': dataset does not exist`);
    const lines = (props ?? '').split(',').map((p) => {
      const v = pool.properties.get(p) ?? '-';
      const source = p === 'compression' && v !== 'off' ? 'local' : p === 'mountpoint' ? 'default' : 'default';
      if (valueOnly) return v;
      return scripted ? `${pool.name}\t${p}\t${v}\t${source}` : `${pool.name.padEnd(6)}  ${p.padEnd(11)}  ${v.padEnd(5)}  ${source}`;
    });
    out(
      ctx,
      (scripted || valueOnly ? '' : `${'NAME'.padEnd(6)}  ${'PROPERTY'.padEnd(11)}  ${'VALUE'.padEnd(5)}  SOURCE\n`) +
        lines.join('\n') +
        '\n',
    );
    return 0;
  }
  if (verb === 'list') {
    const pools = [...node.zpools.values()];
    if (!pools.length) {
      ctx.io.stderr.write('no datasets available\n');
      return 0;
    }
    const rows = pools.map((p) => [
      p.name,
      zfsNicenum(alloc(p)),
      zfsNicenum(p.sizeBytes * 0.96),
      zfsNicenum(alloc(p)),
      p.properties.get('mountpoint') ?? `/${p.name}`,
    ]);
    if (rest.includes('-H')) out(ctx, rows.map((r) => r.join('\t')).join('\n') + '\n');
    else
      out(
        ctx,
        [['NAME', 'USED', 'AVAIL', 'REFER', 'MOUNTPOINT'], ...rows]
          .map((r) =>
            r
              .map((c) => c.padEnd(8))
              .join(' ')
              .trimEnd(),
          )
          .join('\n') + '\n',
      );
    return 0;
  }
  return err(ctx, `unrecognized command '${verb ?? ''}'`, 2);
}
