import { z } from 'zod';
import type { JobKind } from '../../job-kind';
import { planUpgrade } from './upgrade-plan';
import { upgradeOutcome } from './upgrade-result';

export const aptUpgradeSpec = z
  .strictObject({
    /** `dist-upgrade --download-only`: fill the apt cache now, install in a later window. Never reboots. */
    downloadOnly: z.boolean().default(false),
    /** never (default: a hypervisor reboot is asked for, not implied), if-required, always. */
    reboot: z.enum(['never', 'if-required', 'always']).default('never'),
    /** How long the node may take to answer SSH again with a new boot id and the expected kernel. */
    rebootTimeoutSeconds: z.number().int('must be an integer').min(1, 'must be 1-3600').max(3600, 'must be 1-3600').default(600),
  })
  .superRefine((spec, ctx) => {
    if (spec.downloadOnly && spec.reboot === 'always') {
      ctx.addIssue({ code: 'custom', path: ['reboot'], message: "a download-only run installs nothing and never reboots; use 'never' or 'if-required'" });
    }
  });

export type AptUpgradeSpec = z.infer<typeof aptUpgradeSpec>;

/**
 * Upgrades every package the way PVE documents it (apt-get update, non-interactive dist-upgrade)
 * and reboots per policy, judged by the kernel the next boot runs: the per-node step of rolling upgrades.
 */
export const aptUpgradeJob: JobKind<AptUpgradeSpec> = {
  type: 'aptupgrade',
  mutating: true,
  usesFacts: true,
  description: 'Upgrade packages (apt-get update, dist-upgrade) and reboot per policy when the next boot runs a new kernel',
  spec: aptUpgradeSpec,
  plan: planUpgrade,
  finish: (spec, outputs) => upgradeOutcome(spec, outputs),
};
