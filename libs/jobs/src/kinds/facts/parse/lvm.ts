import type { LvmFacts } from '../../../node-facts';
import { finiteNumber, isRecord, parseJson, stringOrNull } from './json';

/** The rows of one LVM JSON report (`{"report":[{"pv":[{…}]}]}`), or undefined when it is no such report. */
function reportRows(text: string, kind: 'pv' | 'lv'): Record<string, unknown>[] | undefined {
  const doc = parseJson(text);
  if (!isRecord(doc) || !Array.isArray(doc.report)) return undefined;
  const first: unknown = doc.report[0];
  if (!isRecord(first) || !Array.isArray(first[kind])) return undefined;
  return (first[kind] as unknown[]).filter(isRecord);
}

/**
 * `pvs` and `lvs` with `--reportformat json --units b --nosuffix` (every value a string, sizes in
 * bytes). Null when `pvs` printed no report (no LVM tools); thin pools are the LVs whose `lv_attr`
 * starts with `t` (lvs(8): volume type `t`hin pool).
 */
export function parseLvm(s: { lvmPvs: string; lvmLvs: string }): LvmFacts | null {
  const pvRows = reportRows(s.lvmPvs, 'pv');
  if (!pvRows) return null;
  const pvs = pvRows.flatMap((r) => {
    const device = stringOrNull(r.pv_name);
    if (!device) return [];
    return [{ device, vg: stringOrNull(r.vg_name) || null, sizeBytes: finiteNumber(r.pv_size) ?? 0 }];
  });
  const thinPools = (reportRows(s.lvmLvs, 'lv') ?? []).flatMap((r) => {
    const name = stringOrNull(r.lv_name);
    const vg = stringOrNull(r.vg_name);
    if (!name || !vg || !stringOrNull(r.lv_attr)?.startsWith('t')) return [];
    return [{ vg, name, sizeBytes: finiteNumber(r.lv_size) ?? 0 }];
  });
  return { pvs, thinPools };
}
