import type { JobOutcome, Plan } from '../../job-kind';
import type { NodeFacts } from '../../node-facts';
import type { AcmeRenewSpec } from './acme-spec';

/**
 * Why acmerenew leaves this node alone under `skipUnconfigured`: it is not Proxmox VE, or it has no
 * ACME domains configured (and the spec gives none). Undefined when the node is renewed as usual.
 */
export function unconfiguredReason(spec: AcmeRenewSpec, facts: NodeFacts | null): string | undefined {
  if (!spec.skipUnconfigured || spec.domains) return undefined;
  if (!facts?.pveversion) return 'not a Proxmox VE node: its certificate is not managed by pvenode; nothing to renew (skipUnconfigured)';
  if (!facts.acme?.domains.length) return 'no ACME domains configured on the node: nothing to renew (skipUnconfigured)';
  return undefined;
}

/** Nothing to run: the reason is the plan's note. */
export const skipPlan = (reason: string): Plan => ({ notes: [reason], steps: [] });

/** The task's result says it was skipped and why; the facts it read stay as they were. */
export const skipOutcome = (reason: string, facts: NodeFacts | null): JobOutcome => ({
  result: { action: 'none', renewed: false, skipped: true, reason },
  ...(facts ? { facts } : {}),
});
