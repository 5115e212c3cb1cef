import type { JobKindOf } from '../../job-kind';
import { acmeRenewSpec } from './acme-spec';
import { acmeSetup, assertPveNode } from './acme-setup';
import { withServedCheck, withServedResult } from './served-cert';
import { certOutcome, certPlan } from './acme-steps';
import { renewalDecision } from './renewal-decision';
import { skipOutcome, skipPlan, unconfiguredReason } from './unconfigured-skip';

/**
 * Scheduled renewal (Proxmox's `acmerenew` task): renews the node's ACME certificate when it expires
 * within the window (or when forced), orders a first one when there is none, and reads it back.
 */
export const acmeRenewJob: JobKindOf<'acmerenew', typeof acmeRenewSpec> = {
  type: 'acmerenew',
  mutating: true,
  readBack: {
    by: 'plan',
    describe: 'the certificate is read back (a later expiry than before), and pveproxy must serve it on port 8006',
  },
  usesFacts: true,
  description: 'Renew the ACME certificate when it expires within the window (or order a first one), then verify the new expiry',
  spec: acmeRenewSpec,
  plan(spec, facts) {
    const skipped = unconfiguredReason(spec, facts);
    if (skipped) return skipPlan(skipped);
    assertPveNode(facts);
    const setup = acmeSetup(spec, facts);
    const { action, reason } = renewalDecision(spec, facts.certificate, setup, facts.collectedAt);
    return withServedCheck(certPlan(setup, action, reason, facts.certificate), action, setup);
  },
  finish(spec, outputs, { facts }) {
    const skipped = unconfiguredReason(spec, facts);
    if (skipped) return skipOutcome(skipped, facts);
    assertPveNode(facts);
    const setup = acmeSetup(spec, facts);
    const { action, reason } = renewalDecision(spec, facts.certificate, setup, facts.collectedAt);
    return withServedResult(certOutcome(action, reason, setup, outputs, facts), outputs);
  },
};
