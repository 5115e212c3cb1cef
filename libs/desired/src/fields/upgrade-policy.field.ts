import { z } from 'zod';
import type { DesiredField } from '../desired-field';
import { aptUpgradeSpec } from '../../../jobs/src/kinds/aptupgrade/aptupgrade.job';

const upgrade = aptUpgradeSpec.shape;

/**
 * The policy a rollout's `aptupgrade` uses when its request does not say: the reboot policy
 * (required: a rollout's own default is `if-required`, the task's `never`, so a profile says which)
 * and download-only. A setting: nothing on the node to observe, no task converges it.
 */
const upgradePolicyValue = z.strictObject({ reboot: upgrade.reboot.unwrap(), downloadOnly: upgrade.downloadOnly }).superRefine((v, ctx) => {
  // The same refusal, in the same words, as the aptupgrade spec.
  if (v.downloadOnly && v.reboot === 'always') {
    ctx.addIssue({
      code: 'custom',
      path: ['reboot'],
      message: "a download-only run installs nothing and never reboots; use 'never' or 'if-required'",
    });
  }
});
export type UpgradePolicyValue = z.infer<typeof upgradePolicyValue>;

export const upgradePolicyField: DesiredField<UpgradePolicyValue> = {
  key: 'upgradePolicy',
  description: 'The upgrade policy a rollout uses by default: reboot policy and download-only',
  scope: 'node',
  defaultMode: 'enforce',
  schema: upgradePolicyValue,
};
