import type { CapturedOutput, PlanStep } from '../../job-kind';
import { shellQuote } from '../../shell-quote';

/** Every exit status: the step reads smartctl's bit mask itself (pve-outputs §5.2). */
const ANY_EXIT = Array.from({ length: 256 }, (_, i) => i);
const RESULT = /(?:SMART overall-health self-assessment test result|SMART Health Status): (.*)$/;

/**
 * Why a disk must not be used, from `smartctl -H -A` output: the lines that decided it (a FAILED
 * result and what follows it, SMART disabled or unavailable, a device smartctl cannot open), or
 * undefined when the health check passed. Like PVE, only bits 0-1 of the exit status are fatal
 * errors; bit 3 (FAILSTATUS) is a failing disk.
 */
export function smartProblem(device: string, out: CapturedOutput): string | undefined {
  const lines = out.stdout.split('\n').map((l) => l.trimEnd());
  const body = lines.slice(lines.findIndex((l) => l === '') + 1).filter((l) => l !== '');
  const code = out.exitCode ?? 0;
  const quoted = (ls: string[]): string => ls.map((l) => `"${l}"`).join(', ');
  if (code & 0b11) return `${device}: smartctl cannot read its S.M.A.R.T. data (exit ${code}): ${quoted(body.slice(0, 3))}`;
  const disabled = body.filter((l) => /^SMART Disabled|^SMART support is: (Disabled|Unavailable)|mandatory SMART command failed/.test(l));
  if (disabled.length) return `${device}: S.M.A.R.T. is not available: ${quoted(disabled)}`;
  const at = body.findIndex((l) => RESULT.test(l));
  if (at < 0) return `${device}: smartctl printed no health result (exit ${code})`;
  const result = (RESULT.exec(body[at]) as RegExpExecArray)[1].trim();
  if (result === 'PASSED' || result === 'OK') return undefined;
  // The result line and its explanation up to the attribute section (or the blank line after it).
  const decided = [body[at]];
  for (const l of body.slice(at + 1)) {
    if (/^SMART Attributes|^SMART\/Health Information|^===/.test(l)) break;
    decided.push(l);
  }
  return `${device} fails its S.M.A.R.T. health check: ${quoted(decided)}`;
}

/**
 * The gate before a disk is partitioned: `smartctl -H -A` must pass, else the task stops here naming
 * the disk and smartctl's lines (unless the spec says `ignoreSmart`).
 */
export function smartGate(device: string): PlanStep {
  const problem = (out: CapturedOutput): string | undefined => {
    const why = smartProblem(device, out);
    return why && `${why}; not using it (set ignoreSmart: true to use it anyway)`;
  };
  return {
    command: `smartctl -H -A ${shellQuote(device)}`,
    description: `check the S.M.A.R.T. health of ${device}`,
    capture: 'smart',
    okExitCodes: ANY_EXIT,
    verify: problem,
  };
}
