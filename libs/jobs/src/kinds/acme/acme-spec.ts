import { z } from 'zod';
import { acmeDomain, configId } from '../../formats';

/**
 * The node's ACME domains (`pvenode config set --acme domains=a;b`), set when they differ from the
 * node's. Optional: without it the node's configured domains are used.
 */
const domains = z
  .array(acmeDomain)
  .min(1, 'at least one domain')
  .max(100, 'at most 100 domains (the ACME certificate limit)')
  .superRefine((list, ctx) => {
    list.forEach((d, i) => {
      if (list.findIndex((o) => o.toLowerCase() === d.toLowerCase()) < i)
        ctx.addIssue({ code: 'custom', path: [i], message: `duplicate domain '${d}'` });
    });
  });

/** The ACME account (`/etc/pve/priv/acme/<name>`); default: the node's, else `default` as PVE does. */
const account = configId;

export const acmeNewCertSpec = z.strictObject({
  domains: domains.optional(),
  account: account.optional(),
});

export const acmeRenewSpec = z.strictObject({
  domains: domains.optional(),
  account: account.optional(),
  /** Renew even when the certificate does not expire within the window. */
  force: z.boolean().default(false),
  /** Renew when the certificate expires within this many days (pve-daily-update uses 30). */
  renewWithinDays: z.number().int('must be an integer').min(1, 'must be 1-365').max(365, 'must be 1-365').default(30),
});

export type AcmeNewCertSpec = z.infer<typeof acmeNewCertSpec>;
export type AcmeRenewSpec = z.infer<typeof acmeRenewSpec>;
