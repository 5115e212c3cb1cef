import type { DiskSmart } from '../../../node-facts';

/** PVE's own pattern for the verdict (Diskmanage.pm): ATA/NVMe `self-assessment test result`, SAS `Health Status`. */
const RESULT = /(?:SMART overall-health self-assessment test result|SMART Health Status): (.*)$/;
/** Lines that say SMART cannot be read at all: switched off, or not supported. */
const DISABLED = /^SMART Disabled|^SMART support is: Disabled/;
const UNAVAILABLE = /^SMART support is: Unavailable|mandatory SMART command failed/;
/** Where the explanation under a verdict ends: the attribute or NVMe log section. */
const SECTION = /^SMART Attributes|^SMART\/Health Information|^Vendor Specific SMART|^===/;

/**
 * One disk's `smartctl -H -A` output and exit status, read as PVE reads it: only exit bits 0-1
 * (command line, device open) are fatal; the verdict line decides; a disabled or unsupported SMART
 * says so. An ATA attribute whose WHEN_FAILED column says `FAILING_NOW` fails the disk too (the
 * attribute table Proxmox shows). Output without any of these is `unavailable` with its first lines.
 */
export function parseSmartctl(stdout: string, exitCode: number | null): DiskSmart {
  const all = stdout.split('\n').map((l) => l.trimEnd());
  // Skip smartctl's two-line banner, which ends at the first blank line.
  const blank = all.indexOf('');
  const body = (blank >= 0 && all[0]?.startsWith('smartctl ') ? all.slice(blank + 1) : all).filter((l) => l !== '');
  if ((exitCode ?? 0) & 0b11) return { health: 'unavailable', lines: body.slice(0, 3) };
  const disabled = body.filter((l) => DISABLED.test(l));
  if (disabled.length) return { health: 'disabled', lines: disabled };
  const unsupported = body.filter((l) => UNAVAILABLE.test(l));
  if (unsupported.length) return { health: 'unavailable', lines: unsupported };
  const at = body.findIndex((l) => RESULT.test(l));
  if (at < 0) return { health: 'unavailable', lines: body.slice(0, 3) };
  const verdict = RESULT.exec(body[at])?.[1]?.trim() ?? '';
  const failingNow = body.filter((l) => /^\s*\d+\s+\S+\s+0x[0-9a-f]{4}\s.*\bFAILING_NOW\b/.test(l));
  if (verdict === 'PASSED' || verdict === 'OK') {
    return failingNow.length ? { health: 'FAILED', lines: [body[at], ...failingNow] } : { health: 'PASSED', lines: [body[at]] };
  }
  // The verdict and its explanation (NVMe critical warnings, "Drive failure expected …"), up to the next section.
  const decided = [body[at]];
  for (const l of body.slice(at + 1)) {
    if (SECTION.test(l)) break;
    decided.push(l);
  }
  return { health: 'FAILED', lines: [...decided, ...failingNow.filter((l) => !decided.includes(l))] };
}

const HEADER = /^==> (\/\S+) <==$/;
const EXIT = /^<== exit (\d+)$/;

/**
 * The facts script's `smart` section: per disk `==> DEV <==`, smartctl's output, `<== exit N`.
 * A disk whose block did not end (the script was cut short) is left out: unknown, not guessed.
 */
export function parseSmartSection(text: string): Map<string, DiskSmart> {
  const found = new Map<string, DiskSmart>();
  let current: { device: string; lines: string[] } | undefined;
  for (const line of text.split('\n')) {
    const head = HEADER.exec(line);
    if (head) {
      current = { device: head[1], lines: [] };
      continue;
    }
    const end = EXIT.exec(line);
    if (end && current) {
      found.set(current.device, parseSmartctl(current.lines.join('\n'), Number(end[1])));
      current = undefined;
      continue;
    }
    current?.lines.push(line);
  }
  return found;
}
