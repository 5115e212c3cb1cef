import type { CapturedOutput, PlanStep } from '../../job-kind';
import { shellQuote } from '../../shell-quote';
import { allocatedBytes, type LvmThinSpec } from './lvmthin-params';

const FIELDS = 'lv_name,vg_name,lv_attr,lv_size';

/** `lvs --noheadings --units b --nosuffix -o lv_name,vg_name,lv_attr,lv_size`: one row per LV. */
export function parseLvs(stdout: string): { name: string; vg: string; attr: string; size: number }[] {
  return stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((cols) => cols.length >= 4)
    .map(([name, vg, attr, size]) => ({ name, vg, attr, size: Number(size) }));
}

/** Why the thin pool is not as the spec wants it, or undefined: it exists, is a thin pool (attr `t…`), and is at least the size asked. */
export function thinPoolProblem(spec: LvmThinSpec, out: CapturedOutput): string | undefined {
  const where = `${spec.vgName}/${spec.thinPool}`;
  if (out.exitCode !== 0) return `thin pool ${where} does not exist (lvs exit ${out.exitCode})`;
  const lv = parseLvs(out.stdout).find((l) => l.name === spec.thinPool && l.vg === spec.vgName);
  if (!lv) return `thin pool ${where} does not exist`;
  if (!lv.attr.startsWith('t')) return `${where} is not a thin pool (lv_attr ${lv.attr})`;
  if (lv.size < allocatedBytes(spec.size))
    return `thin pool ${where} has ${lv.size} bytes, expected at least ${allocatedBytes(spec.size)} (${spec.size})`;
  return undefined;
}

/** The read-back of the plan, and of a task whose worker died mid-command. */
export function lvsReadBack(spec: LvmThinSpec): PlanStep {
  return {
    command: `lvs --noheadings --units b --nosuffix -o ${FIELDS} ${shellQuote(`${spec.vgName}/${spec.thinPool}`)}`,
    description: `verify thin pool ${spec.vgName}/${spec.thinPool}`,
    capture: 'lvs',
    okExitCodes: Array.from({ length: 256 }, (_, i) => i),
    verify: (out) => thinPoolProblem(spec, out),
  };
}

/** `pvesm status --storage ID`: the storage is listed and active on this node. */
export function storageReadBack(id: string): PlanStep {
  return {
    command: `pvesm status --storage ${shellQuote(id)}`,
    description: `verify storage ${id} is active`,
    capture: 'pvesmStatus',
    timeoutMs: 2 * 60_000,
    verify: (out) => {
      const row = out.stdout.split('\n').find((l) => l.split(/\s+/)[0] === id);
      if (!row) return `storage ${id} is not listed by pvesm status`;
      const status = row.trim().split(/\s+/)[2];
      return status === 'active' ? undefined : `storage ${id} is ${status}, not active`;
    },
  };
}
