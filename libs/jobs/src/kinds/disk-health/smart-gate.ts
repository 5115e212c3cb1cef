import type { PlanStep } from '../../job-kind';
import type { DiskFacts, DiskSmart } from '../../node-facts';
import { shellQuote } from '../../shell-quote';
import type { FieldError } from '../../spec-error';
import { parseSmartctl } from '../facts/parse/smart';

/** Every exit status: the step reads smartctl's bit mask itself (pve-outputs §5.2). */
const ANY_EXIT = Array.from({ length: 256 }, (_, i) => i);
const OVERRIDE = 'set ignoreSmart: true to use it anyway';

/** One disk a plan is about to use, as the spec names it and as the facts know it. */
export interface DiskUse {
  /** The spec's field, e.g. `params.disk`, `params.devices.1`. */
  field: string;
  /** The device as the spec names it (a by-id link or a path). */
  device: string;
  disk: DiskFacts;
}

/**
 * Why a disk must not be used, naming it and quoting the smartctl lines that decided, or undefined
 * when its health check passed. Only `PASSED` passes: a failing disk, SMART switched off and a disk
 * without readable SMART data are all refused (the seed's Disk Health Monitoring: the status must be known).
 */
export function smartRefusal(device: string, path: string, smart: DiskSmart): string | undefined {
  const name = device === path ? device : `${device} (${path})`;
  const quoted = smart.lines.map((l) => `"${l}"`).join(', ');
  switch (smart.health) {
    case 'PASSED':
      return undefined;
    case 'FAILED':
      return `${name} fails its S.M.A.R.T. health check: ${quoted}; not using it (${OVERRIDE})`;
    case 'disabled':
      return `${name} has S.M.A.R.T. disabled: ${quoted}; not using it (enable it with smartctl -s on ${path}, or ${OVERRIDE})`;
    case 'unavailable':
      return `${name} has no readable S.M.A.R.T. data${smart.lines.length ? `: ${quoted}` : ' (smartctl printed nothing)'}; not using it (${OVERRIDE})`;
  }
}

/**
 * The health gate before disks are partitioned or pooled, from the facts the plan is made of (the
 * task reads them fresh first, `smartctl -H -A` per disk): refusals for every disk that did not pass,
 * by field, and the disks the facts hold no SMART status for (facts stored before pvefleet read it),
 * which the plan checks with `smartGate` right before using them.
 */
export function checkSmart(uses: readonly DiskUse[]): { errors: FieldError[]; unknown: DiskUse[] } {
  const errors: FieldError[] = [];
  const unknown: DiskUse[] = [];
  for (const use of uses) {
    if (!use.disk.smart) {
      unknown.push(use);
      continue;
    }
    const why = smartRefusal(use.device, use.disk.path, use.disk.smart);
    if (why) errors.push({ field: use.field, message: why });
  }
  return { errors, unknown };
}

/** `smartctl -H -A DEV` as a step: the task stops here, naming the disk and smartctl's lines, unless it passes. */
export function smartGate(use: Pick<DiskUse, 'device' | 'disk'>): PlanStep {
  return {
    command: `smartctl -H -A ${shellQuote(use.device)}`,
    description: `check the S.M.A.R.T. health of ${use.device}`,
    okExitCodes: ANY_EXIT,
    verify: (out) => smartRefusal(use.device, use.disk.path, parseSmartctl(out.stdout, out.exitCode)),
  };
}

/** The plan's note on the gate: what the facts said about each disk, or that ignoreSmart skips it. */
export function smartNote(uses: readonly DiskUse[], ignoreSmart: boolean): string {
  const each = uses.map((u) => `${u.device} ${u.disk.smart?.health ?? 'not read yet (checked first)'}`).join(', ');
  return ignoreSmart
    ? `ignoreSmart: the disks are used whatever their S.M.A.R.T. health (${each})`
    : `S.M.A.R.T. health (smartctl -H -A when the facts were read): ${each}`;
}
