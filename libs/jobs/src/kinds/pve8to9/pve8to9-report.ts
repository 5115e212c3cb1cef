export interface Pve8to9Report {
  total: number;
  passed: number;
  skipped: number;
  warnings: number;
  failures: number;
  /** `FAIL:`/`WARN:` messages without the prefix, continuation lines joined with a space. */
  failLines: string[];
  warnLines: string[];
}

// eslint-disable-next-line no-control-regex -- ANSI colour codes start with ESC: matching it is the point
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;
const SUMMARY = /^(TOTAL|PASSED|SKIPPED|WARNINGS|FAILURES):\s*(\d+)\s*$/;

/**
 * `pve8to9 --full` (pve-commands §3.3): `LEVEL: message` lines in ANSI colours, a message's further
 * lines indented below it, then `= SUMMARY =` with the counts. Its exit code is always 0, so this
 * summary is the verdict. Null when there is no summary (the run broke off, or no pve8to9).
 */
export function parsePve8to9(text: string): Pve8to9Report | null {
  const counts = new Map<string, number>();
  const fail: string[] = [];
  const warn: string[] = [];
  let open: string[] | undefined;
  for (const raw of text.replace(ANSI, '').split('\n')) {
    const line = raw.trimEnd();
    const level = /^(FAIL|WARN|PASS|INFO|SKIP|NOTICE):\s?(.*)$/.exec(line);
    const summary = SUMMARY.exec(line.trim());
    if (level) {
      open = level[1] === 'FAIL' ? fail : level[1] === 'WARN' ? warn : undefined;
      open?.push(level[2].trim());
    } else if (open && /^\s+\S/.test(line)) {
      open[open.length - 1] = `${open[open.length - 1]} ${line.trim()}`.trim();
    } else {
      open = undefined;
      if (summary) counts.set(summary[1], Number(summary[2]));
    }
  }
  if (!counts.has('FAILURES')) return null;
  return {
    total: counts.get('TOTAL') ?? 0,
    passed: counts.get('PASSED') ?? 0,
    skipped: counts.get('SKIPPED') ?? 0,
    warnings: counts.get('WARNINGS') ?? 0,
    failures: counts.get('FAILURES') ?? 0,
    failLines: fail,
    warnLines: warn,
  };
}

/** Why the node may not be upgraded yet, or undefined when pve8to9 reports no failure. */
export function pve8to9Problem(text: string): string | undefined {
  const report = parsePve8to9(text);
  if (!report) return 'pve8to9 printed no summary (FAILURES: line missing)';
  if (report.failures === 0) return undefined;
  const listed = report.failLines.length ? `: ${report.failLines.join('; ')}` : '';
  return `pve8to9 reports ${report.failures} failure${report.failures > 1 ? 's' : ''}${listed}`;
}
