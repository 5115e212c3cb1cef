import { parseOrThrow, type NodeFacts } from '@pvefleet/jobs';
import { describe, expect, it } from 'vitest';
import { acmeCert, acmeFacts, NOW_MS } from '../../../jobs/src/kinds/acme/acme-facts.fixture';
import { acmeField, type AcmeValue } from './acme.field';

const value = (v: unknown) => parseOrThrow(acmeField.schema, v, 'fields.acme.value');
const declared = value({ domains: ['pve1.example.com'], renewWithinDays: 30 });
const differs = (facts = acmeFacts()) => {
  const o = acmeField.observe?.(facts);
  if (!o) throw new Error('no observation');
  return acmeField.differs?.(declared, o, NOW_MS);
};

describe('acme field', () => {
  it('validates with the ACME kinds own schema, errors under fields.acme.value', () => {
    expect(value({ domains: ['a.example.com'] })).toEqual({ domains: ['a.example.com'], renewWithinDays: 30 });
    expect(() => value({ domains: ['a.example.com', 'bad!'] })).toThrow(/fields\.acme\.value\.domains\.1/);
    // Domains and plugin are optional: a profile may set only the window.
    expect(value({})).toEqual({ renewWithinDays: 30 });
    expect(() => value({ plugin: '$(reboot)' })).toThrow(/fields\.acme\.value\.plugin/);
    expect(() => value({ plugin: 'mydns', domains: [1, 2, 3, 4, 5, 6, 7].map((i) => `d${i}.example.com`) })).toThrow(
      /fields\.acme\.value\.domains: at most 6 domains with a DNS plugin/,
    );
    expect(() => value({ domains: ['a.example.com'], renewWithinDays: 0 })).toThrow(/fields\.acme\.value\.renewWithinDays: must be 1-365/);
  });

  it('observes the configured domains and account and the certificate SAN and expiry', () => {
    expect(acmeField.observe?.(acmeFacts())).toEqual({
      domains: ['pve1.example.com'],
      account: 'default',
      available: null,
      san: ['pve1.example.com'],
      notAfter: NOW_MS / 1000 + 60 * 86_400,
    });
    expect(acmeField.observe?.(acmeFacts({ pveversion: null }))).toBeNull();
  });

  it('compliant with the domains covered and more days left than the window', () => {
    expect(differs()).toBeUndefined();
  });

  it('differs when the certificate expires within the window: fixed by a renewal', () => {
    const facts = acmeFacts({ certificate: acmeCert(10) });
    expect(differs(facts)).toBe('certificate expires in 10 days, within the renewal window of 30');
    expect(acmeField.fix?.(declared, facts)).toEqual([
      { type: 'acmerenew', params: { domains: ['pve1.example.com'], renewWithinDays: 30 } },
    ]);
  });

  it('differs when the domains differ: fixed by a new order', () => {
    const facts = acmeFacts({
      certificate: acmeCert(60, undefined, ['old.example.com']),
      acme: { account: 'default', domains: ['old.example.com'], accounts: ['default'] },
    });
    expect(differs(facts)).toBe(
      'ACME domains are old.example.com, wants pve1.example.com; certificate covers old.example.com, wants pve1.example.com',
    );
    expect(acmeField.fix?.(declared, facts)).toEqual([{ type: 'acmenewcert', params: { domains: ['pve1.example.com'] } }]);
  });

  it('differs on another account or no certificate: a new order', () => {
    const other = value({ domains: ['pve1.example.com'], account: 'le-prod' });
    const o = acmeField.observe?.(acmeFacts());
    expect(o && acmeField.differs?.(other, o, NOW_MS)).toBe('ACME account is default, wants le-prod');
    expect(acmeField.fix?.(other, acmeFacts())).toEqual([
      { type: 'acmenewcert', params: { domains: ['pve1.example.com'], account: 'le-prod' } },
    ]);
    expect(differs(acmeFacts({ certificate: null }))).toBe('no ACME certificate');
  });

  it('no task when compliant', () => {
    expect(acmeField.fix?.(declared, acmeFacts())).toEqual([]);
  });
});

describe('acme field: window only, and the challenge plugin', () => {
  const PLUGINS = [
    { id: 'mydns', type: 'dns', api: 'cf' },
    { id: 'standalone', type: 'standalone' },
  ];
  /** pve1.example.com validated through `plugin` (standalone: the `acme:` line), the plugins mydns and standalone there. */
  const node = (plugin: string, over: Partial<NodeFacts> = {}) =>
    acmeFacts({
      acme: {
        account: 'default',
        domains: ['pve1.example.com'],
        accounts: ['default'],
        domainConfig: [{ domain: 'pve1.example.com', plugin, key: plugin === 'standalone' ? 'acme' : 'acmedomain0' }],
        plugins: PLUGINS,
      },
      ...over,
    });
  const why = (v: AcmeValue, facts: NodeFacts) => {
    const o = acmeField.observe?.(facts);
    if (!o) throw new Error('no observation');
    return acmeField.differs?.(v, o, NOW_MS);
  };

  it('a window alone keeps each node’s domains and plugin: compliant until the certificate enters the window', () => {
    const window = value({ renewWithinDays: 45 });
    expect(why(window, node('mydns'))).toBeUndefined();
    const expiring = node('mydns', { certificate: acmeCert(40) });
    expect(why(window, expiring)).toBe('certificate expires in 40 days, within the renewal window of 45');
    // Renewed with the node's own domains and plugin: no domains, no plugin in the params.
    expect(acmeField.fix?.(window, expiring)).toEqual([{ type: 'acmerenew', params: { renewWithinDays: 45 } }]);
  });

  it('a node without domains drifts, but no task can fix that', () => {
    const bare = acmeFacts({
      acme: { account: null, domains: [], accounts: ['default'], domainConfig: [], plugins: PLUGINS },
      certificate: null,
    });
    expect(why(value({}), bare)).toBe('no ACME domains configured on the node, and none declared');
    expect(acmeField.fix?.(value({}), bare)).toEqual([]);
  });

  it('another plugin than declared: the config is set by acmerenew (no new order while the certificate is good)', () => {
    const dns = value({ plugin: 'mydns' });
    expect(why(dns, node('standalone'))).toBe('ACME plugin is standalone, wants mydns');
    expect(acmeField.fix?.(dns, node('standalone'))).toEqual([{ type: 'acmerenew', params: { plugin: 'mydns', renewWithinDays: 30 } }]);
    expect(why(dns, node('mydns'))).toBeUndefined();
    expect(why(value({ plugin: 'standalone' }), node('mydns'))).toBe('ACME plugin is mydns, wants standalone');
  });

  it('a declared plugin the node lacks: the drift says so and no task is planned', () => {
    const other = value({ plugin: 'otherdns' });
    expect(why(other, node('mydns'))).toBe(
      "ACME plugin is mydns, wants otherdns; the node has no ACME plugin 'otherdns' (pvenode acme plugin add)",
    );
    expect(acmeField.fix?.(other, node('mydns'))).toEqual([]);
  });

  it('declared domains without a plugin keep the DNS plugin the node uses for all its domains', () => {
    const domains = value({ domains: ['pve1.example.com', 'www.example.com'] });
    expect(acmeField.fix?.(domains, node('mydns'))).toEqual([
      { type: 'acmenewcert', params: { domains: ['pve1.example.com', 'www.example.com'], plugin: 'mydns' } },
    ]);
    expect(acmeField.fix?.(domains, node('standalone'))).toEqual([
      { type: 'acmenewcert', params: { domains: ['pve1.example.com', 'www.example.com'] } },
    ]);
  });

  it('facts from before the plugins were read claim nothing about the plugin', () => {
    expect(why(value({ plugin: 'mydns' }), acmeFacts())).toBeUndefined();
  });
});
