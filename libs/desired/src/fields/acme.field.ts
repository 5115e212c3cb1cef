import type { NodeFacts } from '@pvefleet/jobs';
import { z } from 'zod';
import type { DesiredField, FixTask } from '../desired-field';
import { acmeRenewSpec } from '../../../jobs/src/kinds/acme/acme-spec';

const DAY_S = 86_400;

/**
 * The certificate's domains and the ACME account that orders it, and the renewal window, from the
 * `acmerenew` spec (the catalog's ACME kinds name the account (the node's registered plugin set-up)
 * `account`, so the field does too). Domains are required here: desired state names them.
 */
const acmeValue = z.strictObject({
  domains: acmeRenewSpec.shape.domains.unwrap(),
  account: acmeRenewSpec.shape.account,
  renewWithinDays: acmeRenewSpec.shape.renewWithinDays,
});
export type AcmeValue = z.infer<typeof acmeValue>;

export interface AcmeObserved {
  /** The node config's ACME domains and account (`pvenode config get`), lower-cased. */
  domains: string[];
  account: string | null;
  /** The custom certificate's DNS names and expiry (epoch s); null when there is none. */
  san: string[] | null;
  notAfter: number | null;
}

const lower = (xs: readonly string[]) => xs.map((x) => x.toLowerCase());
const sameSet = (a: readonly string[], b: readonly string[]) => [...a].sort().join(' ') === [...b].sort().join(' ');
/** PVE's account when the node config names none. */
const PVE_DEFAULT_ACCOUNT = 'default';

/** Whether the node's ACME set-up (domains, account, certificate names) is not the declared one. */
function setupDiffers(desired: AcmeValue, o: AcmeObserved): string[] {
  const why: string[] = [];
  const wanted = lower(desired.domains);
  if (!sameSet(o.domains, wanted)) why.push(`ACME domains are ${o.domains.join(', ') || 'none'}, wants ${wanted.join(', ')}`);
  const account = o.account ?? PVE_DEFAULT_ACCOUNT;
  if (desired.account && desired.account !== account) why.push(`ACME account is ${account}, wants ${desired.account}`);
  if (o.san === null) why.push('no ACME certificate');
  else if (!wanted.every((d) => o.san?.includes(d)))
    why.push(`certificate covers ${o.san.join(', ') || 'nothing'}, wants ${wanted.join(', ')}`);
  return why;
}

export const acmeField: DesiredField<AcmeValue, AcmeObserved> = {
  key: 'acme',
  description: 'ACME: the certificate domains, the account ordering it, and the renewal window in days',
  scope: 'node',
  defaultMode: 'enforce',
  schema: acmeValue,
  observe(facts: NodeFacts) {
    if (!facts.pveversion) return null;
    const cert = facts.certificate;
    return {
      domains: lower(facts.acme?.domains ?? []),
      account: facts.acme?.account ?? null,
      san: cert ? lower(cert.san.map((s) => s.replace(/^DNS:/i, ''))) : null,
      notAfter: cert ? cert.notAfter : null,
    };
  },
  differs(desired, observed, now) {
    const why = setupDiffers(desired, observed);
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
    const params = { domains: desired.domains, ...(desired.account ? { account: desired.account } : {}) };
    // Other domains or account (or no certificate): a new order; only the expiry: a renewal.
    if (setupDiffers(desired, observed).length) return [{ type: 'acmenewcert', params }];
    return [{ type: 'acmerenew', params: { ...params, renewWithinDays: desired.renewWithinDays } }];
  },
};
