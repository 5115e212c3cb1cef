import { z } from 'zod';
import type { JobKindOf } from '../../job-kind';
import { planUpgrade } from './upgrade-plan';
import { upgradeOutcome } from './upgrade-result';
import { GUEST_POLICIES } from './guest-policy';
import { nodeName } from '../../formats';
import { MAX_WAIT_SECONDS } from '../clustercheck/retry-until-clear';

export const aptUpgradeSpec = z
  .strictObject({
    /** `dist-upgrade --download-only`: fill the apt cache now, install in a later window. Never reboots. */
    downloadOnly: z.boolean().default(false),
    /** never (default: a hypervisor reboot is asked for, not implied), if-required, always. */
    reboot: z.enum(['never', 'if-required', 'always']).default('never'),
    /** How long the node may take to answer SSH again with a new boot id and the expected kernel. */
    rebootTimeoutSeconds: z.number().int('must be an integer').min(1, 'must be 1-3600').max(3600, 'must be 1-3600').default(600),
    /** Guests running right before the reboot: refuse to reboot (default), migrate, shut down, or ignore them. */
    guests: z.enum(GUEST_POLICIES).default('refuse'),
    /** `qm shutdown --timeout` per guest with guests 'shutdown'. */
    shutdownTimeoutSeconds: z.number().int('must be an integer').min(1, 'must be 1-3600').max(3600, 'must be 1-3600').default(180),
    /** With guests 'migrate': the nodes guests may go to (default: every other online node of the cluster). */
    targets: z.array(nodeName).min(1).max(64).optional(),
    /** With guests 'migrate': how long HA maintenance and the migrations may take. */
    migrateWaitSeconds: z.number().int('must be an integer').min(1).max(MAX_WAIT_SECONDS).default(1800),
  })
  .superRefine((spec, ctx) => {
    if (spec.targets && spec.guests !== 'migrate') {
      ctx.addIssue({ code: 'custom', path: ['targets'], message: "only with guests 'migrate'" });
    }
    if (spec.downloadOnly && spec.reboot === 'always') {
      ctx.addIssue({
        code: 'custom',
        path: ['reboot'],
        message: "a download-only run installs nothing and never reboots; use 'never' or 'if-required'",
      });
    }
  });

export type AptUpgradeSpec = z.infer<typeof aptUpgradeSpec>;

/**
 * Upgrades every package the way PVE documents it (apt-get update, non-interactive dist-upgrade)
 * and reboots per policy, judged by the kernel the next boot runs: the per-node step of rolling upgrades.
 */
export const aptUpgradeJob: JobKindOf<'aptupgrade', typeof aptUpgradeSpec> = {
  type: 'aptupgrade',
  mutating: true,
  readBack: {
    by: 'plan',
    describe: 'no package is left upgradable, and after a reboot the node runs the expected kernel with a new boot id',
  },
  usesFacts: true,
  description:
    'Upgrade packages (apt-get update, dist-upgrade) and reboot per policy when the next boot runs a new kernel; running guests are refused, migrated, shut down or ignored per params.guests',
  spec: aptUpgradeSpec,
  plan: planUpgrade,
  finish: (spec, outputs) => upgradeOutcome(spec, outputs),
};
