import type { NodeFacts } from '../../node-facts';
import { SpecError } from '../../spec-error';
import { STANDALONE_PLUGIN } from '../facts/parse/acme';
import { configChange, currentEntries, describeWanted, hasConfig, type NodeConfigChange } from './acme-node-config';
import { MAX_PLUGIN_DOMAINS } from './acme-spec';

/** PVE's account when the node config names none (NodeConfig.pm get_acme_conf). */
const PVE_DEFAULT_ACCOUNT = 'default';

export interface AcmeSetup {
  account: string;
  /** The domains the certificate is ordered for, lower-cased as PVE reads them. */
  domains: string[];
  /** The DNS plugin every domain is validated through; null for HTTP-01, undefined when the node's own entries stay. */
  plugin: string | null | undefined;
  /** The node-config change to make, or null when the node already has this account, these domains and plugin. */
  configure: NodeConfigChange | null;
}

/** Refuses a node that is not Proxmox VE (or has no facts): pvenode does not manage its certificate. */
export function assertPveNode(facts: NodeFacts | null): asserts facts is NodeFacts {
  if (!facts?.pveversion) {
    throw new SpecError([{ field: 'params', message: 'not a Proxmox VE node (no pveversion): its certificate is not managed by pvenode' }]);
  }
}

interface SetupSpec {
  domains?: string[];
  account?: string;
  plugin?: string;
}

/**
 * The node's ACME account, domains and plugin after the task, from the spec and the node's facts.
 * Throws a SpecError naming the field when PVE would refuse the order: not a PVE node, no domains at
 * all, an account or a plugin the node does not have, more domains than a plugin can hold.
 */
export function acmeSetup(spec: SetupSpec, facts: NodeFacts | null): AcmeSetup {
  assertPveNode(facts);
  const current = facts.acme;
  const currentAccount = current?.account ?? PVE_DEFAULT_ACCOUNT;
  let setup: AcmeSetup;
  if (spec.domains || spec.plugin) {
    const domains = spec.domains?.map((d) => d.toLowerCase()) ?? current?.domains ?? [];
    if (!domains.length) throw noDomains();
    const plugin = spec.plugin === undefined || spec.plugin === STANDALONE_PLUGIN ? null : spec.plugin;
    if (plugin) assertPlugin(plugin, domains, spec.domains ? 'params.domains' : 'params.plugin', facts);
    const wanted = { account: spec.account ?? currentAccount, domains, plugin };
    const entries = currentEntries(current);
    const configure = hasConfig(currentAccount, entries, wanted) ? null : configChange(entries, wanted);
    setup = { ...wanted, configure };
  } else {
    const domains = current?.domains ?? [];
    if (!domains.length) throw noDomains();
    if (spec.account && spec.account !== currentAccount) {
      throw new SpecError([
        { field: 'params.account', message: `the node uses ACME account '${currentAccount}': give params.domains as well to change it` },
      ]);
    }
    setup = { account: currentAccount, domains, plugin: undefined, configure: null };
  }
  const accounts = current?.accounts ?? [];
  if (!accounts.includes(setup.account)) {
    const known = accounts.length ? `registered: ${accounts.join(', ')}` : 'none registered (pvenode acme account register)';
    throw new SpecError([{ field: 'params.account', message: `the node has no ACME account '${setup.account}' (${known})` }]);
  }
  return setup;
}

const noDomains = () =>
  new SpecError([
    { field: 'params.domains', message: 'the node has no ACME domains configured: give the domains to order the certificate for' },
  ]);

/** The plugin must be one the node has (facts: `pvenode acme plugin list`) and hold every domain. */
function assertPlugin(plugin: string, domains: string[], countField: string, facts: NodeFacts): void {
  if (domains.length > MAX_PLUGIN_DOMAINS) {
    throw new SpecError([
      {
        field: countField,
        message: `${domains.length} domains, but a DNS plugin holds at most ${MAX_PLUGIN_DOMAINS} (PVE's acmedomain0 to acmedomain5)`,
      },
    ]);
  }
  const plugins = facts.acme?.plugins;
  if (!plugins) {
    throw new SpecError([
      {
        field: 'params.plugin',
        message: "the node's ACME plugins are not known (facts without `pvenode acme plugin list`): read the node's facts again",
      },
    ]);
  }
  if (!plugins.some((p) => p.id === plugin)) {
    throw new SpecError([
      {
        field: 'params.plugin',
        message: `the node has no ACME plugin '${plugin}' (configured: ${plugins.map((p) => p.id).join(', ') || 'none'}; pvenode acme plugin add dns <id> --api <api> --data <file>)`,
      },
    ]);
  }
}

export function setupNotes(setup: AcmeSetup): string[] {
  if (setup.configure) {
    return [
      `setting the node's ACME config to account ${setup.account}, domains ${describeWanted({ domains: setup.domains, plugin: setup.plugin ?? null })}`,
    ];
  }
  return [`ACME account ${setup.account}, domains ${setup.domains.join(', ')} (as configured on the node)`];
}
