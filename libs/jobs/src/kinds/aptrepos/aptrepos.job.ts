import { z } from 'zod';
import type { JobKindOf, Plan, PlanStep } from '../../job-kind';
import type { NodeFacts } from '../../node-facts';
import { backupDir, backupStep, dropBackupStep, restoreRollback } from './backup-steps';
import { CEPH_RELEASES, CHANNELS, SUITES } from './channels';
import { assertPveNode, planRepoChanges } from './repo-changes';
import { READ_SOURCES, fetchErrors, verifySources } from './verify-repos';
import { writeFileStep } from './write-file';

export const aptReposSpec = z.strictObject({
  /** The PVE channel: exactly one is left enabled. */
  channel: z.enum(CHANNELS),
  /** Ceph's repository, when the node uses Ceph: release and channel (one Ceph entry left enabled). */
  ceph: z.strictObject({ release: z.enum(CEPH_RELEASES), channel: z.enum(CHANNELS) }).optional(),
  /**
   * The major-upgrade switch: `trixie` on a PVE 8 node moves Debian, PVE and Ceph entries to trixie
   * (pvetest → pve-test) before aptupgrade takes the node to PVE 9. Mirror hosts are kept.
   */
  suite: z.enum(SUITES).optional(),
});

export type AptReposSpec = z.infer<typeof aptReposSpec>;

/** Sets the node's PVE (and Ceph) repository channel, and switches suites for a major upgrade. */
export const aptReposJob: JobKindOf<'aptrepos', typeof aptReposSpec> = {
  type: 'aptrepos',
  mutating: true,
  readBack: { by: 'plan', describe: 'apt fetches from the enabled repositories, and the sources files read back as written' },
  usesFacts: true,
  description:
    'Set the PVE (and Ceph) repository channel: enterprise, no-subscription or test; optionally switch suites for a major upgrade',
  spec: aptReposSpec,
  objectId: (spec) => spec.channel,
  plan: planRepos,
  finish: (spec, _outputs, { facts }) => {
    const c = planRepoChanges(spec, facts);
    return {
      result: {
        channel: spec.channel,
        ceph: spec.ceph ?? null,
        suite: c.suite,
        previousSuite: c.fromSuite,
        layout: c.layout,
        changedFiles: c.files.map((f) => f.path),
        changes: c.actions,
        enabled: { pve: describeTarget(c.expected.pve), ceph: c.expected.ceph ? describeTarget(c.expected.ceph) : null },
      },
    };
  },
};

const describeTarget = (e: { uri: string; suite: string; component: string }) => `deb ${e.uri} ${e.suite} ${e.component}`;

/**
 * Backup, writes, `apt-get update`, read-back, and the backup removed. A failure after the backup
 * (apt cannot fetch from the new channel, the files do not read back) restores every file, so the
 * node keeps a working repository.
 */
function planRepos(spec: AptReposSpec, facts: NodeFacts | null): Plan {
  assertPveNode(facts);
  const changes = planRepoChanges(spec, facts);
  const dir = backupDir(facts.collectedAt);
  const writes = changes.files.map((f) => writeFileStep(f.path, f.content, `${f.before === null ? 'create' : 'rewrite'} ${f.path}`));
  const steps: PlanStep[] = writes.length ? [backupStep(changes.files, dir), ...writes] : [];
  steps.push(
    {
      command: 'apt-get update',
      description: 'check that apt can fetch from the repositories now enabled',
      timeoutMs: 10 * 60_000,
      // 100 is apt's "some index failed": read as a failure with the repositories that failed, and what was changed.
      okExitCodes: [0, 100],
      verify: (out) => {
        if (out.exitCode === 0) return undefined;
        const errs = fetchErrors(out.stdout);
        const enterprise = errs.some((e) => /enterprise\.proxmox\.com.*401/.test(e))
          ? ' (the enterprise repository needs a valid subscription key on the node)'
          : '';
        return `command 'apt-get update' failed: exit code ${out.exitCode}${errs.length ? `: ${errs.join('; ')}` : ''}${enterprise}`;
      },
    },
    { command: READ_SOURCES, description: 'read the sources files back', capture: 'sources', verify: (out) => verifySources(changes, out) },
  );
  if (!writes.length) return { steps, notes: changes.notes };
  steps.push(dropBackupStep(dir));
  return { steps, notes: changes.notes, rollback: restoreRollback(changes.files, dir) };
}
