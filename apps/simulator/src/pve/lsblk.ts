import type { NodeProgram, SimNode } from '../model/node';
import { out } from '../shell/command';
import { codePoints, humanSize } from '../util/text';

interface BlockDev {
  name: string;
  path: string;
  size: number;
  type: string;
  fstype: string | null;
  mountpoint: string | null;
  model: string | null;
  serial: string | null;
  wwn: string | null;
  rota: boolean;
  majmin: string;
  parttype: string | null;
  children?: BlockDev[];
}

/** The node's block devices as lsblk's tree: system disk with its LVM, data disks with any ZFS partitions. */
function devices(node: SimNode): BlockDev[] {
  let sdMinor = 0;
  // device-mapper minors after the installer's six (pve-swap … pve-data); a device drawn twice keeps its own.
  const dmMinors = new Map<string, number>();
  const minorOf = (dmName: string): number => {
    let minor = dmMinors.get(dmName);
    if (minor === undefined) {
      minor = 6 + dmMinors.size;
      dmMinors.set(dmName, minor);
    }
    return minor;
  };
  return node.disks.map((d) => {
    const isNvme = d.kind === 'nvme';
    const major = isNvme ? 259 : 8;
    const base = isNvme ? 0 : sdMinor++ * 16;
    const part = (p: SimNode['disks'][number]['partitions'][number], i: number): BlockDev => ({
      name: p.name,
      path: `/dev/${p.name}`,
      size: p.size,
      type: 'part',
      fstype: p.fstype,
      mountpoint: p.mountpoint,
      model: null,
      serial: null,
      wwn: d.wwn,
      rota: d.rota,
      majmin: `${major}:${base + i + 1}`,
      parttype: p.parttype ?? null,
    });
    const children = d.partitions.map(part);
    if (d.system && children[2]) children[2].children = lvmChildren();
    else for (const c of children) c.children = volumeGroupChildren(node, c.path, minorOf);
    return {
      name: d.name,
      path: `/dev/${d.name}`,
      size: d.size,
      type: 'disk',
      fstype: d.fstype,
      mountpoint: null,
      model: d.model,
      serial: d.serial,
      wwn: d.wwn,
      rota: d.rota,
      majmin: `${major}:${base}`,
      parttype: null,
      children: children.length ? children : volumeGroupChildren(node, `/dev/${d.name}`, minorOf),
    };
  });
}

/**
 * The device-mapper devices of the VG a PV belongs to (a VG created after install): a linear LV as
 * `vg-lv`, a thin pool as its `_tmeta` and `_tdata` with the `-tpool` above both and the pool's thin
 * volumes on it, as lsblk draws them. dm names double a `-` inside a VG or LV name.
 */
function volumeGroupChildren(node: SimNode, pvPath: string, minorOf: (dmName: string) => number): BlockDev[] | undefined {
  const vg = node.lvm.pvs.get(pvPath)?.vg;
  if (!vg || vg === 'pve') return undefined;
  const dm = (lv: string): string => `${vg.replace(/-/g, '--')}-${lv.replace(/-/g, '--')}`;
  const dev = (name: string, size: number, children?: BlockDev[]): BlockDev => ({
    name,
    path: `/dev/mapper/${name}`,
    size,
    type: 'lvm',
    fstype: null,
    mountpoint: null,
    model: null,
    serial: null,
    wwn: null,
    rota: false,
    majmin: `252:${minorOf(name)}`,
    parttype: null,
    children,
  });
  const lvs = node.lvm.lvsOf(vg);
  const out: BlockDev[] = [];
  for (const lv of lvs) {
    if (lv.kind === 'linear') out.push(dev(dm(lv.name), lv.size));
    if (lv.kind !== 'thin-pool') continue;
    const thins = lvs.filter((t) => t.kind === 'thin' && t.pool === lv.name);
    // Activation order: metadata, data, the pool target, then the volumes on it.
    for (const n of [`${dm(lv.name)}_tmeta`, `${dm(lv.name)}_tdata`, `${dm(lv.name)}-tpool`, dm(lv.name), ...thins.map((t) => dm(t.name))])
      minorOf(n);
    const tpool = (): BlockDev =>
      dev(`${dm(lv.name)}-tpool`, lv.size, [dev(dm(lv.name), lv.size), ...thins.map((t) => dev(dm(t.name), t.size))]);
    out.push(dev(`${dm(lv.name)}_tmeta`, lv.metadataSize ?? 0, [tpool()]), dev(`${dm(lv.name)}_tdata`, lv.size, [tpool()]));
  }
  return out.length ? out : undefined;
}

function lvmChildren(): BlockDev[] {
  const lv = (
    name: string,
    size: number,
    fstype: string | null,
    mountpoint: string | null,
    minor: number,
    children?: BlockDev[],
  ): BlockDev => ({
    name,
    path: `/dev/mapper/${name}`,
    size,
    type: 'lvm',
    fstype,
    mountpoint,
    model: null,
    serial: null,
    wwn: null,
    rota: false,
    majmin: `252:${minor}`,
    parttype: null,
    children,
  });
  const pool = (): BlockDev => lv('pve-data-tpool', 366924611584, null, null, 4, [lv('pve-data', 366924611584, null, null, 5)]);
  return [
    lv('pve-swap', 8589934592, 'swap', '[SWAP]', 0),
    lv('pve-root', 103079215104, 'ext4', '/', 1),
    lv('pve-data_tmeta', 3758096384, null, null, 2, [pool()]),
    lv('pve-data_tdata', 366924611584, null, null, 3, [pool()]),
  ];
}

const DEFAULT_COLS = ['NAME', 'MAJ:MIN', 'RM', 'SIZE', 'RO', 'TYPE', 'MOUNTPOINTS'];

function value(d: BlockDev, col: string, bytes: boolean, paths: boolean): string | number | boolean | null | string[] {
  switch (col) {
    case 'NAME':
      return paths ? d.path : d.name;
    case 'KNAME':
      return d.name;
    case 'PATH':
      return d.path;
    case 'SIZE':
      return bytes ? d.size : humanSize(d.size);
    case 'TYPE':
      return d.type;
    case 'FSTYPE':
      return d.fstype;
    case 'MOUNTPOINT':
      return d.mountpoint;
    case 'MOUNTPOINTS':
      return [d.mountpoint ?? null] as unknown as string[];
    case 'MODEL':
      return d.model;
    case 'SERIAL':
      return d.serial;
    case 'WWN':
      return d.wwn;
    case 'ROTA':
      return d.rota;
    case 'RM':
      return false;
    case 'RO':
      return false;
    case 'MAJ:MIN':
      return d.majmin;
    case 'PARTTYPE':
      return d.parttype;
    default:
      return null;
  }
}

/** util-linux's JSON writer layout: 3-space indent, one key per line, siblings joined as `},{`. */
function jsonwrt(devs: BlockDev[], cols: string[], bytes: boolean, paths: boolean, tree: boolean): string {
  const ind = (n: number): string => '   '.repeat(n);
  const render = (items: BlockDev[], level: number): string[] => {
    const lines: string[] = [];
    items.forEach((d, i) => {
      if (i === 0) lines.push(`${ind(level)}{`);
      const kids = tree && d.children?.length ? d.children : undefined;
      const fields = cols.map((c) => [c.toLowerCase(), value(d, c, bytes, paths)] as const);
      fields.forEach(([k, v], j) => lines.push(`${ind(level + 1)}"${k}": ${JSON.stringify(v)}${j < fields.length - 1 || kids ? ',' : ''}`));
      if (kids) lines.push(`${ind(level + 1)}"children": [`, ...render(kids, level + 2), `${ind(level + 1)}]`);
      lines.push(i < items.length - 1 ? `${ind(level)}},{` : `${ind(level)}}`);
    });
    return lines;
  };
  return ['{', `${ind(1)}"blockdevices": [`, ...render(devs, 2), `${ind(1)}]`, '}'].join('\n') + '\n';
}

function flatten(devs: BlockDev[]): BlockDev[] {
  return devs.flatMap((d) => [d, ...flatten(d.children ?? [])]);
}

export const lsblkPrograms: Record<string, NodeProgram> = {
  lsblk: (node, ctx) => {
    const args = ctx.argv.slice(1);
    const flags = new Set<string>();
    let cols = DEFAULT_COLS;
    const wanted: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '-o' || a === '--output') cols = (args[++i] ?? '').toUpperCase().split(',');
      else if (a.startsWith('--output=')) cols = a.slice(9).toUpperCase().split(',');
      else if (a.startsWith('--')) flags.add(a.slice(2));
      else if (a.startsWith('-')) for (const c of a.slice(1)) flags.add(c);
      else wanted.push(a);
    }
    const json = flags.has('J') || flags.has('json');
    const bytes = flags.has('b') || flags.has('bytes');
    const paths = flags.has('p') || flags.has('paths');
    const nodeps = flags.has('d') || flags.has('nodeps');
    const list = flags.has('l') || flags.has('list');
    let devs = devices(node);
    if (wanted.length) {
      const all = flatten(devs);
      const found: BlockDev[] = [];
      for (const w of wanted) {
        const d = all.find((x) => x.path === w || x.name === w);
        if (d) found.push(d);
        else ctx.io.stderr.write(`lsblk: ${w}: not a block device\n`);
      }
      if (!found.length) return 32;
      devs = found;
      if (found.length < wanted.length) return (emit(), 64);
    }
    return (emit(), 0);

    function emit(): void {
      if (nodeps) devs = devs.map((d) => ({ ...d, children: undefined }));
      if (json) {
        out(ctx, jsonwrt(list ? flatten(devs) : devs, cols, bytes, paths, !list));
        return;
      }
      const rows: string[][] = [];
      walkTree(devs, '', rows, cols, bytes, paths, list);
      const header = flags.has('n') || flags.has('noheadings') ? [] : [cols];
      const table = [...header, ...rows];
      const widths = cols.map((_, i) => Math.max(...table.map((r) => codePoints(r[i]).length)));
      out(
        ctx,
        table
          .map((r) =>
            r
              .map((c, i) =>
                i === r.length - 1
                  ? c
                  : ['SIZE', 'RM', 'RO', 'MAJ:MIN'].includes(cols[i])
                    ? c.padStart(widths[i])
                    : c.padEnd(widths[i] + (codePoints(c).length - c.length)),
              )
              .join(' ')
              .trimEnd(),
          )
          .join('\n') + '\n',
      );
    }
  },
};

/** Text rows with lsblk's tree marks (`├─`, `└─`, `│ `) in the NAME column. */
function walkTree(
  items: BlockDev[],
  prefix: string,
  rows: string[][],
  cols: string[],
  bytes: boolean,
  paths: boolean,
  list: boolean,
  depth = 0,
): void {
  items.forEach((d, i) => {
    const last = i === items.length - 1;
    const mark = list || depth === 0 ? '' : `${prefix}${last ? '└─' : '├─'}`;
    rows.push(
      cols.map((c) => {
        const v = value(d, c, bytes, paths);
        const s = v === null ? '' : Array.isArray(v) ? (v[0] ?? '') : typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
        return c === 'NAME' ? `${mark}${s}` : s;
      }),
    );
    const childPrefix = depth === 0 ? '' : `${prefix}${last ? '  ' : '│ '}`;
    if (d.children?.length) walkTree(d.children, childPrefix, rows, cols, bytes, paths, list, depth + 1);
  });
}
