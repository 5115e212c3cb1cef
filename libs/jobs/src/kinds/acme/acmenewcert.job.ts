import type { JobKindOf } from '../../job-kind';
import type { NodeFacts } from '../../node-facts';
import { acmeNewCertSpec } from './acme-spec';
import { acmeSetup, assertPveNode } from './acme-setup';
import { withServedCheck, withServedResult } from './served-cert';
import { certOutcome, certPlan, type CertAction } from './acme-steps';
import { describeExpiry } from './cert-info';

/** Always a new order; PVE wants --force when a custom certificate is already there. */
function orderDecision(facts: NodeFacts): { action: CertAction; reason: string } {
  const cert = facts.certificate;
  return cert
    ? {
        action: { kind: 'order', force: true },
        reason: `replacing the custom certificate (${describeExpiry(cert, facts.collectedAt)}) with a new order`,
      }
    : { action: { kind: 'order', force: false }, reason: 'no custom certificate (pveproxy-ssl.pem): ordering one' };
}

/** Proxmox's `acmenewcert`: orders a new ACME certificate for the node and reads it back. */
export const acmeNewCertJob: JobKindOf<'acmenewcert', typeof acmeNewCertSpec> = {
  type: 'acmenewcert',
  mutating: true,
  readBack: {
    by: 'plan',
    describe: 'the certificate is read back (subject, issuer and expiry as ordered), and pveproxy must serve it on port 8006',
  },
  usesFacts: true,
  description: 'Order a new ACME certificate for the node (replacing a custom one), then verify it',
  spec: acmeNewCertSpec,
  plan(spec, facts) {
    assertPveNode(facts);
    const setup = acmeSetup(spec, facts);
    const { action, reason } = orderDecision(facts);
    return withServedCheck(certPlan(setup, action, reason, facts.certificate), action, setup);
  },
  finish(spec, outputs, { facts }) {
    assertPveNode(facts);
    const setup = acmeSetup(spec, facts);
    const { action, reason } = orderDecision(facts);
    return withServedResult(certOutcome(action, reason, setup, outputs, facts), outputs);
  },
};
