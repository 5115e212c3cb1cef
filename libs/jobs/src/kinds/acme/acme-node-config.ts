import type { PlanStep } from '../../job-kind';
import type { AcmeDomainConfig, AcmeFacts } from '../../node-facts';
import { shellQuote } from '../../shell-quote';
import { readAcmeConfig, STANDALONE_PLUGIN } from '../facts/parse/acme';

/** The node's ACME entries a task wants: each domain with its challenge plugin. */
export interface WantedAcmeConfig {
  account: string;
  domains: string[];
  /** A DNS plugin's id for every domain (`acmedomainN`), or null for the HTTP-01 form (`acme: domains=`). */
  plugin: string | null;
}

/** One `pvenode config set` call: PVE sets the options, then deletes, then checks the whole config. */
export interface NodeConfigChange {
  /** The `--acme` value. */
  acme: string;
  /** `--acmedomain0`, `--acmedomain1`… values, in order. */
  acmedomains: string[];
  /** `acmedomainN` keys to delete (`--delete`): stale entries a smaller or HTTP-01 set-up leaves behind. */
  remove: string[];
}

export const ACME_CONFIG_OUTPUT = 'acmeconfig';

/** The node's entries before the task; facts stored before pvefleet read them carry only the domains. */
export function currentEntries(acme: AcmeFacts | null | undefined): AcmeDomainConfig[] {
  return acme?.domainConfig ?? (acme?.domains ?? []).map((domain) => ({ domain, plugin: STANDALONE_PLUGIN, key: 'acme' }));
}

/** How an entry looks for comparing: its domain, plugin and form (`acme` list or `acmedomainN`). */
const shape = (e: { domain: string; plugin: string; key: string }) => `${e.domain} ${e.plugin} ${e.key === 'acme' ? 'acme' : 'acmedomain'}`;

function wantedEntries(wanted: WantedAcmeConfig): AcmeDomainConfig[] {
  return wanted.domains.map((domain, i) =>
    wanted.plugin ? { domain, plugin: wanted.plugin, key: `acmedomain${i}` } : { domain, plugin: STANDALONE_PLUGIN, key: 'acme' },
  );
}

/** Whether the node's entries already are the wanted ones (in order: the certificate lists them so). */
export function hasConfig(account: string, entries: AcmeDomainConfig[], wanted: WantedAcmeConfig): boolean {
  return account === wanted.account && entries.map(shape).join('\n') === wantedEntries(wanted).map(shape).join('\n');
}

/**
 * The change from the node's entries to the wanted ones. With a DNS plugin the `acme` line keeps only
 * the account (PVE refuses a domain in both forms) and a domain keeps its alias when its plugin stays.
 */
export function configChange(entries: AcmeDomainConfig[], wanted: WantedAcmeConfig): NodeConfigChange {
  const stale = entries.map((e) => e.key).filter((k) => k !== 'acme');
  if (!wanted.plugin) {
    return { acme: `account=${wanted.account},domains=${wanted.domains.join(';')}`, acmedomains: [], remove: stale };
  }
  const plugin = wanted.plugin;
  const acmedomains = wanted.domains.map((domain) => {
    const alias = entries.find((e) => e.domain === domain && e.plugin === plugin)?.alias;
    return `${domain},plugin=${plugin}${alias ? `,alias=${alias}` : ''}`;
  });
  const written = new Set(acmedomains.map((_, i) => `acmedomain${i}`));
  return { acme: `account=${wanted.account}`, acmedomains, remove: stale.filter((k) => !written.has(k)) };
}

/** `pvenode config set --acme … [--acmedomainN …] [--delete …]`, every value quoted. */
export function configureStep(change: NodeConfigChange): PlanStep {
  const options = [`--acme ${shellQuote(change.acme)}`, ...change.acmedomains.map((v, i) => `--acmedomain${i} ${shellQuote(v)}`)];
  if (change.remove.length) options.push(`--delete ${shellQuote(change.remove.join(','))}`);
  return {
    command: `pvenode config set ${options.join(' ')}`,
    description: 'set the ACME account, domains and challenge plugin in the node config',
  };
}

/** Reads the node config back: the account and every domain with its plugin must be as set. */
export function configReadBackStep(wanted: WantedAcmeConfig): PlanStep {
  return {
    command: 'pvenode config get',
    description: 'read the ACME config back',
    capture: ACME_CONFIG_OUTPUT,
    // The node config may hold a description (notes) the task has no business showing.
    quiet: true,
    verify: (out) => {
      const read = readAcmeConfig(out.stdout);
      if (hasConfig(read.account ?? 'default', read.domainConfig, wanted)) return undefined;
      const seen = read.domainConfig.map((e) => `${e.domain} (${e.plugin})`).join(', ') || 'no domains';
      return `the node's ACME config was not set: account ${read.account ?? 'none'}, ${seen}; wanted account ${wanted.account}, ${describeWanted(wanted)}`;
    },
  };
}

/** "a.example.com, b.example.com (DNS plugin mydns)" or "… (HTTP-01)". */
export function describeWanted(wanted: Omit<WantedAcmeConfig, 'account'>): string {
  return `${wanted.domains.join(', ')} (${wanted.plugin ? `DNS plugin ${wanted.plugin}` : 'HTTP-01'})`;
}

/** The change as one line for an error: `account=…,domains=…`, or with `acmedomainN: …` entries. */
export function describeChange(change: NodeConfigChange): string {
  return [change.acme, ...change.acmedomains.map((v, i) => `acmedomain${i}: ${v}`)].join('; ');
}

/** The node's ACME facts after the task set `wanted` (what the next plan starts from). */
export function acmeFactsAfter(acme: AcmeFacts | null, wanted: WantedAcmeConfig, change: NodeConfigChange | null): AcmeFacts {
  const accounts = acme?.accounts ?? [];
  const plugins = acme?.plugins ?? null;
  const domainConfig = change ? wantedEntries(wanted) : currentEntries(acme);
  return { account: wanted.account, domains: domainConfig.map((e) => e.domain), accounts, domainConfig, plugins };
}
