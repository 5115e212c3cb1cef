import type { CapturedOutput } from '../../job-kind';
import { parseSourceFiles } from '../facts/parse/sources';
import { roleOf } from './channels';
import type { RepoChanges } from './repo-changes';
import { matchesTarget } from './select-channel';
import { SourcesSet } from './sources-set';

/**
 * Reads every sources file back in the facts script's format. `if` rather than `&&`, so a glob that
 * matches nothing (no *.sources on PVE 8) does not make the loop's exit status 1; a failing cat still does.
 */
export const READ_SOURCES = `for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do if [ -f "$f" ]; then printf '==> %s <==\\n' "$f" && cat "$f"; fi; done`;

const trimEnd = (s: string) => s.replace(/\n+$/, '');

/**
 * The node is in the intended state when the files written read back as written, exactly one PVE
 * (and, if asked, Ceph) `deb` entry is enabled and it is the target, and after a major-upgrade switch
 * no Debian, PVE or Ceph entry is left enabled on the old suite.
 */
export function verifySources(changes: RepoChanges, out: CapturedOutput): string | undefined {
  const files = parseSourceFiles(out.stdout);
  const problems: string[] = [];
  for (const f of changes.files) {
    const now = files.find((r) => r.path === f.path);
    if (!now) problems.push(`${f.path} is missing`);
    else if (trimEnd(now.content) !== trimEnd(f.content)) problems.push(`${f.path} does not read back as written`);
  }
  const set = new SourcesSet(files);
  const enabled = set.entries().filter((e) => e.enabled && e.types.includes('deb'));
  const check = (kind: 'pve' | 'ceph', target: NonNullable<RepoChanges['expected']['ceph']>) => {
    const on = enabled.filter((e) => roleOf(e).kind === kind);
    if (on.length !== 1 || !matchesTarget(on[0], target)) {
      const found = on.map((e) => `${e.path}: ${e.describe()}`).join('; ') || 'none';
      problems.push(
        `expected exactly one enabled ${kind === 'pve' ? 'PVE' : 'Ceph'} repository, deb ${target.uri} ${target.suite} ${target.component}; found: ${found}`,
      );
    }
  };
  check('pve', changes.expected.pve);
  if (changes.expected.ceph) check('ceph', changes.expected.ceph);
  if (changes.suite !== changes.fromSuite) {
    const stale = enabled.filter(
      (e) => roleOf(e).kind !== 'other' && e.suites.some((s) => s === changes.fromSuite || s.startsWith(`${changes.fromSuite}-`)),
    );
    if (stale.length) problems.push(`still on ${changes.fromSuite}: ${stale.map((e) => `${e.path}: ${e.describe()}`).join('; ')}`);
  }
  return problems.length ? `repositories not as intended: ${problems.join('; ')}` : undefined;
}

/** `Err:5 https://enterprise.proxmox.com/debian/pve bookworm InRelease` + `  401  Unauthorized …`, one line each. */
export function fetchErrors(stdout: string): string[] {
  const lines = stdout.split('\n');
  const errors: string[] = [];
  lines.forEach((line, i) => {
    const m = /^Err:\d+\s+(\S+\s+\S+)/.exec(line);
    if (m) errors.push(`${m[1]}: ${(lines[i + 1] ?? '').trim().replace(/\s+/g, ' ') || 'failed'}`);
  });
  return errors;
}
