import type { JobKindOf } from '../../job-kind';
import { acmeRenewSpec } from './acme-spec';
import { acmeSetup, assertPveNode } from './acme-setup';
import { certOutcome, certPlan } from './acme-steps';
import { renewalDecision } from './renewal-decision';

/**
 * Scheduled renewal (Proxmox's `acmerenew` task): renews the node's ACME certificate when it expires
 * within the window (or when forced), orders a first one when there is none, and reads it back.
 */
export const acmeRenewJob: JobKindOf<'acmerenew', typeof acmeRenewSpec> = {
  type: 'acmerenew',
  mutating: true,
  readBack: { by: 'plan', describe: 'the certificate the node serves is read back: a later expiry than before' },
  usesFacts: true,
  description: 'Renew the ACME certificate when it expires within the window (or order a first one), then verify the new expiry',
  spec: acmeRenewSpec,
  plan(spec, facts) {
    assertPveNode(facts);
    const setup = acmeSetup(spec, facts);
    const { action, reason } = renewalDecision(spec, facts.certificate, setup, facts.collectedAt);
    return certPlan(setup, action, reason, facts.certificate);
  },
  finish(spec, outputs, { facts }) {
    assertPveNode(facts);
    const setup = acmeSetup(spec, facts);
    const { action, reason } = renewalDecision(spec, facts.certificate, setup, facts.collectedAt);
    return certOutcome(action, reason, setup, outputs, facts);
  },
};
