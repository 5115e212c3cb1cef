import type { PlanStep } from '../../job-kind';
import type { NodeFacts } from '../../node-facts';
import { shellQuote } from '../../shell-quote';
import { SpecError } from '../../spec-error';

/** PVE's account when the node config names none (NodeConfig.pm get_acme_conf). */
const PVE_DEFAULT_ACCOUNT = 'default';

export interface AcmeSetup {
  account: string;
  /** The domains the certificate is ordered for, lower-cased as PVE reads them. */
  domains: string[];
  /** The `--acme` value to set, or null when the node already has this account and these domains. */
  configure: string | null;
}

/** Refuses a node that is not Proxmox VE (or has no facts): pvenode does not manage its certificate. */
export function assertPveNode(facts: NodeFacts | null): asserts facts is NodeFacts {
  if (!facts?.pveversion) {
    throw new SpecError([{ field: 'params', message: 'not a Proxmox VE node (no pveversion): its certificate is not managed by pvenode' }]);
  }
}

/**
 * The node's ACME account and domains after the task, from the spec and the node's facts. Throws a
 * SpecError naming the field when PVE would refuse the order: not a PVE node, no domains at all, an
 * account the node does not have.
 */
export function acmeSetup(spec: { domains?: string[]; account?: string }, facts: NodeFacts | null): AcmeSetup {
  assertPveNode(facts);
  const current = facts.acme;
  const currentAccount = current?.account ?? PVE_DEFAULT_ACCOUNT;
  let setup: AcmeSetup;
  if (spec.domains) {
    const domains = spec.domains.map((d) => d.toLowerCase());
    const account = spec.account ?? currentAccount;
    const same = account === currentAccount && domains.join(';') === (current?.domains ?? []).join(';');
    setup = { account, domains, configure: same ? null : `account=${account},domains=${domains.join(';')}` };
  } else {
    const domains = current?.domains ?? [];
    if (!domains.length) {
      throw new SpecError([
        { field: 'params.domains', message: 'the node has no ACME domains configured: give the domains to order the certificate for' },
      ]);
    }
    if (spec.account && spec.account !== currentAccount) {
      throw new SpecError([
        { field: 'params.account', message: `the node uses ACME account '${currentAccount}': give params.domains as well to change it` },
      ]);
    }
    setup = { account: currentAccount, domains, configure: null };
  }
  const accounts = current?.accounts ?? [];
  if (!accounts.includes(setup.account)) {
    const known = accounts.length ? `registered: ${accounts.join(', ')}` : 'none registered (pvenode acme account register)';
    throw new SpecError([{ field: 'params.account', message: `the node has no ACME account '${setup.account}' (${known})` }]);
  }
  return setup;
}

export function configureStep(configure: string): PlanStep {
  return {
    command: `pvenode config set --acme ${shellQuote(configure)}`,
    description: 'set the ACME account and domains in the node config',
  };
}

export function setupNotes(setup: AcmeSetup): string[] {
  return setup.configure
    ? [`setting the node's ACME config to account ${setup.account}, domains ${setup.domains.join(', ')}`]
    : [`ACME account ${setup.account}, domains ${setup.domains.join(', ')} (as configured on the node)`];
}
