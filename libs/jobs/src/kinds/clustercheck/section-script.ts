import type { CapturedOutput, PlanStep } from '../../job-kind';

/**
 * Several read-only commands as one step, so a retried check re-reads everything at once and judges
 * one consistent snapshot. Each command's output is framed by marker lines carrying its exit code;
 * the script itself always exits 0, so a failing check is a finding, not an aborted retry.
 */
export interface Section {
  name: string;
  command: string;
  /** A shell test (`[ -e /etc/pve/ceph.conf ]`): the section runs only when it holds. */
  onlyIf?: string;
}

const BEGIN = '@@pvefleet:begin ';
const END = '@@pvefleet:end ';

export function sectionScript(sections: readonly Section[]): string {
  return sections
    .map((s) => {
      const body = `echo '${BEGIN}${s.name}'; ${s.command}; echo "${END}${s.name} $?"`;
      return s.onlyIf ? `if ${s.onlyIf}; then ${body}; fi` : body;
    })
    .concat('true')
    .join('\n');
}

/**
 * The script as a step's command, with how the log shows it: the commands it runs, and each
 * section's output under a `== name ==` heading rather than between marker lines.
 */
export function sectionScriptStep(sections: readonly Section[]): Pick<PlanStep, 'command' | 'logAs' | 'logLine'> {
  return {
    command: sectionScript(sections),
    logAs: `read-only script: ${sections.map((s) => s.command).join('; ')}`,
    logLine: sectionLogLine,
  };
}

/** A begin marker becomes a heading, an end marker a note only when the command failed. */
export function sectionLogLine(line: string): string | null {
  if (line.startsWith(BEGIN)) return `== ${line.slice(BEGIN.length).trim()} ==`;
  if (!line.startsWith(END)) return line;
  const words = line.slice(END.length).trim().split(' ');
  const [name] = words;
  const code = words.at(1);
  return code === '0' ? null : `(${name}: exit code ${code ?? 'unknown'})`;
}

/** Each section's stdout and exit code; sections that did not run are absent. */
export function splitSections(stdout: string): Map<string, CapturedOutput> {
  const out = new Map<string, CapturedOutput>();
  let current: string | undefined;
  let lines: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith(BEGIN)) {
      current = line.slice(BEGIN.length).trim();
      lines = [];
    } else if (current !== undefined && line.startsWith(`${END}${current} `)) {
      const code = Number.parseInt(line.slice(END.length + current.length + 1), 10);
      out.set(current, { stdout: lines.join('\n'), exitCode: Number.isFinite(code) ? code : null });
      current = undefined;
    } else if (current !== undefined) {
      lines.push(line);
    }
  }
  // A section cut off mid-way (the script was killed) still counts, without an exit code.
  if (current !== undefined) out.set(current, { stdout: lines.join('\n'), exitCode: null });
  return out;
}
