import { z } from 'zod';
import { acmeDomain, configId } from '../../formats';

/** PVE keeps a DNS plugin's domains in `acmedomain0` to `acmedomain5`. */
export const MAX_PLUGIN_DOMAINS = 6;

/**
 * The node's ACME domains (`pvenode config set --acme domains=a;b`, or `--acmedomainN` with a
 * plugin), set when they differ from the node's. Optional: without it the node's configured domains
 * are used.
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

/**
 * The challenge plugin every domain is validated through (`/etc/pve/priv/acme/plugins.cfg`, a
 * `pve-configid` like PVE's `pve-acme-pluginid`): a DNS plugin's id puts the domains in
 * `acmedomainN` entries (DNS-01); `standalone` is the HTTP-01 form (`--acme domains=`). Without it,
 * domains given are set in the HTTP-01 form, and without domains the node's set-up stays.
 */
const plugin = configId;

/** PVE cannot hold more than six domains with a plugin: refused by field, before anything runs. */
export function pluginDomainLimit(spec: { domains?: string[]; plugin?: string }, ctx: z.RefinementCtx): void {
  if (spec.plugin && spec.plugin !== 'standalone' && (spec.domains?.length ?? 0) > MAX_PLUGIN_DOMAINS) {
    ctx.addIssue({
      code: 'custom',
      path: ['domains'],
      message: `at most ${MAX_PLUGIN_DOMAINS} domains with a DNS plugin (PVE's acmedomain0 to acmedomain5)`,
    });
  }
}

export const acmeNewCertSpec = z
  .strictObject({
    domains: domains.optional(),
    account: account.optional(),
    plugin: plugin.optional(),
  })
  .superRefine(pluginDomainLimit);

export const acmeRenewSpec = z
  .strictObject({
    domains: domains.optional(),
    account: account.optional(),
    plugin: plugin.optional(),
    /** Renew even when the certificate does not expire within the window. */
    force: z.boolean().default(false),
    /** Renew when the certificate expires within this many days (pve-daily-update uses 30). */
    renewWithinDays: z.number().int('must be an integer').min(1, 'must be 1-365').max(365, 'must be 1-365').default(30),
    /**
     * A node that is not Proxmox VE or has no ACME domains configured is left alone (the task says
     * so and runs nothing) instead of refused: for fleet-wide schedules over mixed fleets. Only
     * without `domains` (given domains configure the node).
     */
    skipUnconfigured: z.boolean().default(false),
  })
  .superRefine(pluginDomainLimit);

export type AcmeNewCertSpec = z.infer<typeof acmeNewCertSpec>;
export type AcmeRenewSpec = z.infer<typeof acmeRenewSpec>;
