import type { NodeFacts } from '@pvefleet/jobs';
import { z } from 'zod';
import type { DesiredField, FixTask } from '../desired-field';
import { acmeRenewSpec, pluginDomainLimit } from '../../../jobs/src/kinds/acme/acme-spec';

const DAY_S = 86_400;
/** PVE's HTTP-01 plugin, always there. */
const STANDALONE = 'standalone';

/**
 * The certificate's domains, the ACME account ordering it, the challenge plugin validating its
 * domains, and the renewal window, from the `acmerenew` spec. Domains and plugin are optional: a
 * profile can set the window (and plugin) fleet-wide while each node keeps the domains it has (or
 * an override names them); an undeclared plugin is whatever the node uses.
 */
const acmeValue = z
  .strictObject({
    domains: acmeRenewSpec.shape.domains,
    account: acmeRenewSpec.shape.account,
    plugin: acmeRenewSpec.shape.plugin,
    renewWithinDays: acmeRenewSpec.shape.renewWithinDays,
  })
  .superRefine(pluginDomainLimit);
export type AcmeValue = z.infer<typeof acmeValue>;

export interface AcmeObserved {
  /** The node config's ACME domains and account (`pvenode config get`), lower-cased. */
  domains: string[];
  account: string | null;
  /** Each domain's challenge plugin (`standalone`: HTTP-01), in `domains`' order; absent in observations made before pvefleet read them. */
  plugins?: string[];
  /** The plugin ids the node has (`pvenode acme plugin list`); null when unread. */
  available?: string[] | null;
  /** The custom certificate's DNS names and expiry (epoch s); null when there is none. */
  san: string[] | null;
  notAfter: number | null;
}

const lower = (xs: readonly string[]) => xs.map((x) => x.toLowerCase());
const sameSet = (a: readonly string[], b: readonly string[]) => [...a].sort().join(' ') === [...b].sort().join(' ');
const unique = (xs: readonly string[]) => [...new Set(xs)];
/** PVE's account when the node config names none. */
const PVE_DEFAULT_ACCOUNT = 'default';

/** The domains the certificate must cover: the declared ones, else the node's own. */
const wantedDomains = (desired: AcmeValue, o: AcmeObserved) => (desired.domains ? lower(desired.domains) : o.domains);

/** Why the node's ACME set-up (domains, account, certificate names) is not the declared one: a new order fixes it. */
function orderDiffers(desired: AcmeValue, o: AcmeObserved): string[] {
  const why: string[] = [];
  const wanted = wantedDomains(desired, o);
  if (desired.domains && !sameSet(o.domains, wanted))
    why.push(`ACME domains are ${o.domains.join(', ') || 'none'}, wants ${wanted.join(', ')}`);
  if (!wanted.length) return ['no ACME domains configured on the node, and none declared'];
  const account = o.account ?? PVE_DEFAULT_ACCOUNT;
  if (desired.account && desired.account !== account) why.push(`ACME account is ${account}, wants ${desired.account}`);
  if (o.san === null) why.push('no ACME certificate');
  else if (!wanted.every((d) => o.san?.includes(d)))
    why.push(`certificate covers ${o.san.join(', ') || 'nothing'}, wants ${wanted.join(', ')}`);
  return why;
}

/** Why the domains are not validated through the declared plugin (a config change, no new certificate needed). */
function pluginDiffers(desired: AcmeValue, o: AcmeObserved): string[] {
  if (!desired.plugin || !o.plugins) return [];
  const why: string[] = [];
  const used = unique(o.plugins);
  if (used.some((p) => p !== desired.plugin)) why.push(`ACME plugin is ${used.join(', ') || 'none'}, wants ${desired.plugin}`);
  if (desired.plugin !== STANDALONE && o.available && !o.available.includes(desired.plugin)) {
    why.push(`the node has no ACME plugin '${desired.plugin}' (pvenode acme plugin add)`);
  }
  return why;
}

export const acmeField: DesiredField<AcmeValue, AcmeObserved> = {
  key: 'acme',
  description: 'ACME: the certificate domains, the account ordering it, the challenge plugin, and the renewal window in days',
  scope: 'node',
  defaultMode: 'enforce',
  schema: acmeValue,
  observe(facts: NodeFacts) {
    if (!facts.pveversion) return null;
    const cert = facts.certificate;
    const config = facts.acme?.domainConfig;
    return {
      domains: lower(facts.acme?.domains ?? []),
      account: facts.acme?.account ?? null,
      // Facts from before pvefleet read the entries cannot tell the plugins: not claimed either way.
      ...(config || !facts.acme ? { plugins: (config ?? []).map((e) => e.plugin) } : {}),
      available: facts.acme?.plugins?.map((p) => p.id) ?? null,
      san: cert ? lower(cert.san.map((s) => s.replace(/^DNS:/i, ''))) : null,
      notAfter: cert ? cert.notAfter : null,
    };
  },
  differs(desired, observed, now) {
    const why = [...orderDiffers(desired, observed), ...pluginDiffers(desired, observed)];
    if (observed.notAfter !== null) {
      const daysLeft = Math.floor((observed.notAfter - now / 1000) / DAY_S);
      if (daysLeft < desired.renewWithinDays) {
        why.push(`certificate expires in ${daysLeft} days, within the renewal window of ${desired.renewWithinDays}`);
      }
    }
    return why.length ? why.join('; ') : undefined;
  },
  fix(desired, facts): FixTask[] {
    const observed = acmeField.observe?.(facts) ?? null;
    if (!observed || !acmeField.differs?.(desired, observed, facts.collectedAt)) return [];
    // Nothing to order for, or a plugin the node lacks: the drift says so, no task could fix it.
    if (!wantedDomains(desired, observed).length) return [];
    const plugin = desired.plugin ?? keptPlugin(desired, observed);
    if (plugin && plugin !== STANDALONE && !observed.available?.includes(plugin)) return [];
    const params = {
      ...(desired.domains ? { domains: desired.domains } : {}),
      ...(desired.account ? { account: desired.account } : {}),
      ...(plugin ? { plugin } : {}),
    };
    // Other domains or account (or no certificate): a new order; the plugin or the expiry only: a renewal, which sets the config first.
    if (orderDiffers(desired, observed).length) return [{ type: 'acmenewcert', params }];
    return [{ type: 'acmerenew', params: { ...params, renewWithinDays: desired.renewWithinDays } }];
  },
};

/**
 * An undeclared plugin stays the node's: declared domains take the one DNS plugin all the node's
 * domains use (the kind would otherwise set them in the HTTP-01 form). Undefined when there is none
 * or the domains are not declared (the kind then keeps the node's entries as they are).
 */
function keptPlugin(desired: AcmeValue, observed: AcmeObserved): string | undefined {
  const used = unique(observed.plugins ?? []);
  return desired.domains && used.length === 1 && used[0] !== STANDALONE ? used[0] : undefined;
}
