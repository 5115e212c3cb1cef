import { describe, expect, it } from 'vitest';
import type { AcmeDomainConfig, AcmeFacts } from '../../node-facts';
import { parseOrThrow, SpecError } from '../../spec-error';
import { acmeCert, acmeFacts, certInfoJson, FP_NEW, NOW_MS } from './acme-facts.fixture';
import { acmeNewCertJob } from './acmenewcert.job';
import { acmeRenewJob } from './acmerenew.job';

const PLUGINS = [
  { id: 'mydns', type: 'dns', api: 'cf' },
  { id: 'standalone', type: 'standalone' },
];
const entry = (domain: string, plugin: string, key: string, alias?: string): AcmeDomainConfig => ({
  domain,
  plugin,
  key,
  ...(alias ? { alias } : {}),
});
/** A node with the given ACME entries and the plugins `mydns` and `standalone`. */
function nodeWith(domainConfig: AcmeDomainConfig[], over: Partial<AcmeFacts> = {}) {
  return acmeFacts({
    acme: {
      account: 'default',
      domains: domainConfig.map((e) => e.domain),
      accounts: ['default'],
      domainConfig,
      plugins: PLUGINS,
      ...over,
    },
  });
}
/** The certificate covers the node's domains. */
const withCert = (facts: ReturnType<typeof nodeWith>) => ({ ...facts, certificate: acmeCert(60, undefined, facts.acme?.domains) });
const HTTP_NODE = nodeWith([entry('pve1.example.com', 'standalone', 'acme')]);
const DNS_NODE = withCert(
  nodeWith([
    entry('pve1.example.com', 'mydns', 'acmedomain0', '_acme.example.net'),
    entry('a.example.com', 'mydns', 'acmedomain1'),
    entry('b.example.com', 'mydns', 'acmedomain2'),
  ]),
);

const renewSpec = (params: object) => parseOrThrow(acmeRenewJob.spec, params, 'params');
const commands = (params: object, facts = HTTP_NODE) => acmeRenewJob.plan(renewSpec(params), facts).steps.map((s) => s.command);
function planErrors(params: object, facts = HTTP_NODE) {
  try {
    acmeNewCertJob.plan(parseOrThrow(acmeNewCertJob.spec, params, 'params'), facts);
  } catch (err) {
    if (err instanceof SpecError) return err.errors;
    throw err;
  }
  return undefined;
}

describe('acme kinds with a DNS plugin', () => {
  it('moves the domains to acmedomainN entries naming the plugin, the acme line keeping only the account', () => {
    expect(commands({ plugin: 'mydns' })).toEqual([
      'pvenode config set --acme account=default --acmedomain0 pve1.example.com,plugin=mydns',
      'pvenode config get',
      'pvenode cert info --output-format json',
    ]);
    expect(acmeRenewJob.plan(renewSpec({ plugin: 'mydns' }), HTTP_NODE).notes?.[0]).toBe(
      "setting the node's ACME config to account default, domains pve1.example.com (DNS plugin mydns)",
    );
  });

  it('clears stale acmedomainN entries and keeps a domain’s alias while its plugin stays', () => {
    expect(commands({ plugin: 'mydns', domains: ['pve1.example.com'] }, DNS_NODE)[0]).toBe(
      'pvenode config set --acme account=default --acmedomain0 pve1.example.com,plugin=mydns,alias=_acme.example.net --delete acmedomain1,acmedomain2',
    );
  });

  it('domains without a plugin (or with standalone) take the HTTP-01 form and drop every acmedomainN', () => {
    const http =
      "pvenode config set --acme 'account=default,domains=pve1.example.com;a.example.com' --delete acmedomain0,acmedomain1,acmedomain2";
    expect(commands({ domains: ['pve1.example.com', 'a.example.com'] }, DNS_NODE)[0]).toBe(http);
    expect(commands({ domains: ['pve1.example.com', 'a.example.com'], plugin: 'standalone' }, DNS_NODE)[0]).toBe(http);
  });

  it('the node’s own set-up again: nothing to configure', () => {
    const same = { plugin: 'mydns', domains: ['pve1.example.com', 'a.example.com', 'b.example.com'] };
    expect(commands(same, DNS_NODE)).toEqual(['pvenode cert info --output-format json']);
    expect(commands({ plugin: 'standalone' })).toEqual(['pvenode cert info --output-format json']);
    expect(acmeRenewJob.plan(renewSpec({}), DNS_NODE).notes?.[0]).toBe(
      'ACME account default, domains pve1.example.com, a.example.com, b.example.com (as configured on the node)',
    );
  });

  it('refuses a plugin the node does not have, or whose list the facts lack, naming params.plugin', () => {
    expect(planErrors({ plugin: 'otherdns' })).toEqual([
      {
        field: 'params.plugin',
        message:
          "the node has no ACME plugin 'otherdns' (configured: mydns, standalone; pvenode acme plugin add dns <id> --api <api> --data <file>)",
      },
    ]);
    expect(planErrors({ plugin: 'mydns' }, acmeFacts())?.[0]).toMatchObject({ field: 'params.plugin' });
    expect(
      planErrors({ plugin: 'mydns' }, nodeWith([entry('pve1.example.com', 'standalone', 'acme')], { plugins: null }))?.[0].message,
    ).toMatch(/^the node's ACME plugins are not known/);
  });

  it('refuses more than six domains with a plugin: in the spec (params.domains), or the node’s own (params.plugin)', () => {
    const seven = [1, 2, 3, 4, 5, 6, 7].map((i) => `d${i}.example.com`);
    const r = acmeRenewJob.spec.safeParse({ plugin: 'mydns', domains: seven });
    expect(r.success ? [] : SpecError.fromZod(r.error, 'params').errors).toEqual([
      { field: 'params.domains', message: "at most 6 domains with a DNS plugin (PVE's acmedomain0 to acmedomain5)" },
    ]);
    expect(acmeRenewJob.spec.safeParse({ domains: seven }).success).toBe(true);
    const many = nodeWith(seven.map((d) => entry(d, 'standalone', 'acme')));
    expect(planErrors({ plugin: 'mydns' }, many)).toEqual([
      { field: 'params.plugin', message: "7 domains, but a DNS plugin holds at most 6 (PVE's acmedomain0 to acmedomain5)" },
    ]);
  });

  it('rejects a plugin that is not a PVE id, so nothing reaches a shell', () => {
    for (const bad of ['$(reboot)', 'my dns', "a'b", 'x', '1dns', 'a;b']) {
      const r = acmeNewCertJob.spec.safeParse({ plugin: bad });
      expect(r.success ? [] : SpecError.fromZod(r.error, 'params').errors.map((e) => e.field), bad).toEqual(['params.plugin']);
    }
  });

  it('reads the config back: the domains with their plugin, else a task error saying what the node has', () => {
    const readBack = acmeNewCertJob.plan(parseOrThrow(acmeNewCertJob.spec, { plugin: 'mydns' }, 'params'), HTTP_NODE).steps[1];
    expect(
      readBack.verify!({ stdout: 'acme: account=default\nacmedomain0: pve1.example.com,plugin=mydns\n', exitCode: 0 }, {}),
    ).toBeUndefined();
    expect(readBack.verify!({ stdout: 'acme: account=default,domains=pve1.example.com\n', exitCode: 0 }, {})).toBe(
      "the node's ACME config was not set: account default, pve1.example.com (standalone); wanted account default, pve1.example.com (DNS plugin mydns)",
    );
  });

  it('an order refused by PVE names what was configured; the facts after it carry the new entries', () => {
    const spec = parseOrThrow(acmeNewCertJob.spec, { plugin: 'mydns' }, 'params');
    const facts = { ...HTTP_NODE, certificate: null };
    const order = acmeNewCertJob.plan(spec, facts).steps[2];
    expect(order.verify!({ stdout: '', exitCode: 255 }, {})).toBe(
      "ACME certificate order failed: 'pvenode acme cert order' exited with 255 (see the log) (the node's ACME config was set to account=default; acmedomain0: pve1.example.com,plugin=mydns)",
    );
    const outcome = acmeNewCertJob.finish!(
      spec,
      { certinfo: { stdout: certInfoJson(acmeCert(90, FP_NEW)), exitCode: 0 } },
      { facts, now: NOW_MS },
    );
    expect(outcome.facts?.acme).toEqual({
      account: 'default',
      domains: ['pve1.example.com'],
      accounts: ['default'],
      domainConfig: [entry('pve1.example.com', 'mydns', 'acmedomain0')],
      plugins: PLUGINS,
    });
  });
});
