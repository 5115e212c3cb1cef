import type { PlanStep, Rollback } from '../../job-kind';
import { shellQuote } from '../../shell-quote';
import { fetchErrors } from './verify-repos';

/** Under /var/lib, not beside the files: apt would warn about every stray name in sources.list.d. */
const BACKUP_ROOT = '/var/lib/pvefleet/backup';

interface ChangedFile {
  path: string;
  /** null: the plan creates the file, so putting things back means removing it. */
  before: string | null;
}

/**
 * Where this task keeps the originals: named after when its facts were read (the task's start), so
 * the plan stays pure and two tasks never share a directory.
 */
export const backupDir = (collectedAt: number): string => `${BACKUP_ROOT}/aptrepos-${collectedAt}`;

const dirname = (path: string) => path.slice(0, path.lastIndexOf('/')) || '/';

/** Copies every file the plan rewrites to the backup directory, keeping its path under it. */
export function backupStep(files: readonly ChangedFile[], dir: string): PlanStep {
  const existing = files.filter((f) => f.before !== null).map((f) => f.path);
  const dirs = existing.length ? [...new Set(existing.map((p) => `${dir}${dirname(p)}`))] : [dir];
  const command = [
    `mkdir -p ${dirs.map(shellQuote).join(' ')}`,
    ...existing.map((p) => `cp -a ${shellQuote(p)} ${shellQuote(`${dir}${p}`)}`),
  ].join(' && ');
  return { command, description: `back up the files this plan rewrites to ${dir}`, armsRollback: true };
}

/** After the switch is verified the backup has served its purpose. */
export function dropBackupStep(dir: string): PlanStep {
  return { command: `rm -rf ${shellQuote(dir)}`, description: 'remove the backup: the repositories are verified' };
}

/**
 * Puts every file back as it was (rewritten ones from the backup, created ones removed), then runs
 * `apt-get update` again so apt's lists match the restored repositories.
 */
export function restoreRollback(files: readonly ChangedFile[], dir: string): Rollback {
  const restored = files.filter((f) => f.before !== null).map((f) => f.path);
  const removed = files.filter((f) => f.before === null).map((f) => f.path);
  const restore = [
    ...restored.map((p) => `cp -a ${shellQuote(`${dir}${p}`)} ${shellQuote(p)}`),
    ...(removed.length ? [`rm -f ${removed.map(shellQuote).join(' ')}`] : []),
    `rm -rf ${shellQuote(dir)}`,
  ].join(' && ');
  const done = [
    ...(restored.length ? [`restored ${restored.join(', ')}`] : []),
    ...(removed.length ? [`removed ${removed.join(', ')}`] : []),
  ].join('; ');
  return {
    describe: `restoring ${[...restored, ...removed].join(', ')} as they were before this task`,
    steps: [
      { command: restore, description: 'put the files back from the backup' },
      {
        command: 'apt-get update',
        description: "refresh apt's lists from the restored repositories",
        timeoutMs: 10 * 60_000,
        okExitCodes: [0, 100],
        verify: (out) =>
          out.exitCode === 0
            ? undefined
            : `${done}, but apt-get update still fails: ${fetchErrors(out.stdout).join('; ') || `exit code ${out.exitCode}`}`,
      },
    ],
    done,
  };
}
