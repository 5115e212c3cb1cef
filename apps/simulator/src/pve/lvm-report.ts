import type { NodeProgram, SimNode } from '../model/node';
import type { CommandContext } from '../shell/command';
import { fail, out } from '../shell/command';
import type { LogicalVolume, LvmState } from '../model/lvm';
import { lvmArgs, lvmSize } from './lvm-args';

type ReportKind = 'pv' | 'vg' | 'lv';
type Row = Record<string, string>;

const DEFAULT_FIELDS: Record<ReportKind, string[]> = {
  pv: ['pv_name', 'vg_name', 'pv_fmt', 'pv_attr', 'pv_size', 'pv_free'],
  vg: ['vg_name', 'pv_count', 'lv_count', 'snap_count', 'vg_attr', 'vg_size', 'vg_free'],
  lv: [
    'lv_name',
    'vg_name',
    'lv_attr',
    'lv_size',
    'pool_lv',
    'origin',
    'data_percent',
    'metadata_percent',
    'move_pv',
    'mirror_log',
    'copy_percent',
    'convert_lv',
  ],
};

/** Column headings (lib/report/columns.h) and whether the column is numeric (right-aligned). */
const FIELDS: Record<string, { head: string; num?: boolean; min?: number }> = {
  pv_name: { head: 'PV', min: 10 },
  pv_fmt: { head: 'Fmt' },
  pv_attr: { head: 'Attr' },
  pv_size: { head: 'PSize', num: true },
  pv_free: { head: 'PFree', num: true },
  pv_used: { head: 'Used', num: true },
  pv_uuid: { head: 'PV UUID' },
  vg_name: { head: 'VG', min: 4 },
  vg_attr: { head: 'Attr' },
  vg_size: { head: 'VSize', num: true },
  vg_free: { head: 'VFree', num: true },
  vg_uuid: { head: 'VG UUID' },
  vg_extent_size: { head: 'Ext', num: true },
  pv_count: { head: '#PV', num: true },
  lv_count: { head: '#LV', num: true },
  snap_count: { head: '#SN', num: true },
  lv_name: { head: 'LV' },
  lv_path: { head: 'Path' },
  lv_attr: { head: 'Attr' },
  lv_size: { head: 'LSize', num: true },
  lv_uuid: { head: 'LV UUID' },
  lv_metadata_size: { head: 'LMetaSize', num: true },
  pool_lv: { head: 'Pool' },
  origin: { head: 'Origin' },
  data_percent: { head: 'Data%', num: true },
  metadata_percent: { head: 'Meta%', num: true },
  move_pv: { head: 'Move' },
  mirror_log: { head: 'Log' },
  copy_percent: { head: 'Cpy%Sync', num: true },
  convert_lv: { head: 'Convert' },
  lv_layout: { head: 'Layout' },
};

/** Names LVM accepts without the report's prefix (`lvs -o name,size` = lv_name,lv_size). */
function canonicalField(kind: ReportKind, name: string): string | undefined {
  const n = name.toLowerCase();
  if (n in FIELDS) return n;
  const prefixed = `${kind}_${n}`;
  return prefixed in FIELDS ? prefixed : undefined;
}

/** `pvs`, `vgs`, `lvs` with LVM's aligned and JSON report formats. */
export const lvmReportPrograms: Record<string, NodeProgram> = {
  pvs: (node, ctx) => report(node, ctx, 'pv'),
  vgs: (node, ctx) => report(node, ctx, 'vg'),
  lvs: (node, ctx) => report(node, ctx, 'lv'),
};

function report(node: SimNode, ctx: CommandContext, kind: ReportKind): number {
  const args = lvmArgs(ctx.argv.slice(1), ['o', 'options', 'O', 'sort', 'units', 'separator', 'reportformat', 'S', 'select', 'config']);
  let fields = DEFAULT_FIELDS[kind];
  for (const spec of args.values('o', 'options')) {
    const list = spec.replace(/^\+/, '').split(',').filter(Boolean);
    fields = spec.startsWith('+') ? [...fields, ...list] : list;
  }
  const resolved: string[] = [];
  for (const f of fields) {
    const c = canonicalField(kind, f);
    if (!c) return fail(ctx, `  Unrecognised field: ${f}`, 3);
    resolved.push(c);
  }
  const units = args.value('units') ?? 'h';
  if (!/^[hHbBsSkKmMgGtTpPeErR]$/.test(units))
    return fail(ctx, `  Invalid argument for --units: ${units}\n  Error during parsing of command line.`, 3);
  const suffix = !args.flag('nosuffix');
  const size = (bytes: number): string => lvmSize(bytes, units, suffix);
  const lvm = node.lvm;
  let rows: Row[];
  if (kind === 'pv') {
    const all = [...lvm.pvs.values()].sort((a, b) => a.device.localeCompare(b.device));
    const wanted = args.positional;
    const missing = wanted.find((w) => !lvm.pvs.has(w));
    if (missing) return fail(ctx, `  Failed to find physical volume "${missing}".`, 5);
    rows = all.filter((p) => !wanted.length || wanted.includes(p.device)).map((p) => pvRow(lvm, p.device, size));
  } else if (kind === 'vg') {
    const wanted = args.positional;
    const missing = wanted.find((w) => !lvm.vgs.has(w));
    if (missing) return fail(ctx, `  Volume group "${missing}" not found\n  Cannot process volume group ${missing}`, 5);
    rows = [...lvm.vgs.keys()]
      .sort()
      .filter((v) => !wanted.length || wanted.includes(v))
      .map((v) => vgRow(lvm, v, size));
  } else {
    const all = args.flag('a') || args.flag('all');
    const wanted = args.positional;
    for (const w of wanted) {
      const [vg, lv] = w.split('/');
      if (!lvm.vgs.has(vg)) return fail(ctx, `  Volume group "${vg}" not found\n  Cannot process volume group ${vg}`, 5);
      if (lv && !lvm.lvsOf(vg).some((l) => l.name === lv)) return fail(ctx, `  Failed to find logical volume "${vg}/${lv}"`, 5);
    }
    rows = [...lvm.vgs.keys()]
      .sort()
      .flatMap((vg) => visibleLvs(lvm, vg, all).map((l) => ({ lv: l, vg })))
      .filter(({ lv, vg }) => !wanted.length || wanted.some((w) => w === vg || w === `${vg}/${lv.name.replace(/^\[|\]$/g, '')}`))
      .map(({ lv }) => lvRow(lvm, lv, size));
  }
  if ((args.value('reportformat') ?? 'basic').startsWith('json')) out(ctx, json(kind, rows, resolved));
  else out(ctx, table(rows, resolved, !args.flag('noheadings'), args.value('separator')));
  return 0;
}

function pvRow(lvm: LvmState, device: string, size: (n: number) => string): Row {
  const pv = lvm.pvs.get(device);
  const total = pv?.size ?? 0;
  const free = lvm.pvFree(device);
  return {
    pv_name: device,
    vg_name: pv?.vg ?? '',
    pv_fmt: 'lvm2',
    pv_attr: pv?.vg ? 'a--' : '---',
    pv_size: size(total),
    pv_free: size(free),
    pv_used: size(total - free),
    pv_uuid: pv?.uuid ?? '',
  };
}

function vgRow(lvm: LvmState, vg: string, size: (n: number) => string): Row {
  const g = lvm.vgs.get(vg);
  return {
    vg_name: vg,
    pv_count: String(g?.pvs.length ?? 0),
    lv_count: String(visibleLvs(lvm, vg, false).length),
    snap_count: '0',
    vg_attr: 'wz--n-',
    vg_size: size(lvm.vgSize(vg)),
    vg_free: size(lvm.vgFree(vg)),
    vg_uuid: g?.uuid ?? '',
    vg_extent_size: size(4 * 1024 * 1024),
  };
}

/** What lvs lists: pools, thin and linear volumes; with -a also the hidden `[pool_tdata]`, `[pool_tmeta]` and `[lvol0_pmspare]`. */
function visibleLvs(lvm: LvmState, vg: string, all: boolean): LogicalVolume[] {
  const lvs = lvm.lvsOf(vg).filter((l) => all || l.kind !== 'pmspare');
  const shown = lvs.map((l) => (l.kind === 'pmspare' ? { ...l, name: `[${l.name}]` } : l));
  if (all)
    for (const pool of lvs.filter((l) => l.kind === 'thin-pool'))
      shown.push(
        { name: `[${pool.name}_tdata]`, vg, kind: 'linear', size: pool.size, mounted: true },
        { name: `[${pool.name}_tmeta]`, vg, kind: 'linear', size: pool.metadataSize ?? 0, mounted: true },
      );
  return shown.sort((a, b) => a.name.replace(/^\[/, '').localeCompare(b.name.replace(/^\[/, '')));
}

function lvAttr(l: LogicalVolume): string {
  if (l.kind === 'thin-pool') return 'twi-a-tz--';
  if (l.kind === 'thin') return 'Vwi-a-tz--';
  if (l.kind === 'pmspare') return 'ewi-------';
  if (l.name.endsWith('_tdata]')) return 'Twi-ao----';
  if (l.name.endsWith('_tmeta]')) return 'ewi-ao----';
  return l.mounted ? '-wi-ao----' : '-wi-a-----';
}

function lvRow(lvm: LvmState, l: LogicalVolume, size: (n: number) => string): Row {
  const thin = l.kind === 'thin-pool' || l.kind === 'thin';
  return {
    lv_name: l.name,
    vg_name: l.vg,
    lv_path: l.name.startsWith('[') ? '' : `/dev/${l.vg}/${l.name}`,
    lv_attr: lvAttr(l),
    lv_size: size(l.size),
    lv_uuid: lvm.uuid(`lv:${l.vg}/${l.name}`),
    lv_metadata_size: l.metadataSize ? size(l.metadataSize) : '',
    lv_layout: l.kind === 'thin-pool' ? 'thin,pool' : l.kind === 'thin' ? 'thin,sparse' : 'linear',
    pool_lv: l.pool ?? '',
    origin: '',
    data_percent: thin ? (l.dataPercent ?? '0.00') : '',
    metadata_percent: l.kind === 'thin-pool' ? (l.metaPercent ?? '10.43') : '',
    move_pv: '',
    mirror_log: '',
    copy_percent: '',
    convert_lv: '',
  };
}

/** LVM's aligned report: two leading spaces, headings left-aligned, numbers right-aligned, every column padded. */
function table(rows: Row[], fields: string[], headings: boolean, separator?: string): string {
  if (separator !== undefined) {
    const lines = rows.map((r) => `  ${fields.map((f) => r[f] ?? '').join(separator)}`);
    if (headings) lines.unshift(`  ${fields.map((f) => FIELDS[f].head).join(separator)}`);
    return lines.map((l) => `${l}\n`).join('');
  }
  const widths = fields.map((f) =>
    Math.max(FIELDS[f].min ?? 0, headings ? FIELDS[f].head.length : 0, ...rows.map((r) => (r[f] ?? '').length)),
  );
  const cell = (f: string, v: string, i: number): string => (FIELDS[f].num ? v.padStart(widths[i]) : v.padEnd(widths[i]));
  const lines = rows.map((r) => `  ${fields.map((f, i) => cell(f, r[f] ?? '', i)).join(' ')}`);
  if (headings) lines.unshift(`  ${fields.map((f, i) => FIELDS[f].head.padEnd(widths[i])).join(' ')}`);
  return lines.map((l) => `${l}\n`).join('');
}

/** `--reportformat json`: LVM's own layout (4-space nesting under a 2-space margin, one object per line). */
function json(kind: ReportKind, rows: Row[], fields: string[]): string {
  const objects = rows.map((r) => `                  {${fields.map((f) => `"${f}":${JSON.stringify(r[f] ?? '')}`).join(', ')}}`);
  return [
    '  {',
    '      "report": [',
    '          {',
    `              "${kind}": [`,
    ...objects.map((o, i) => (i < objects.length - 1 ? `${o},` : o)),
    '              ]',
    '          }',
    '      ]',
    '  }',
    '',
  ].join('\n');
}
