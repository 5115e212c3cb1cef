import { parseOrThrow } from '@pvefleet/jobs';
import { describe, expect, it } from 'vitest';
import { acmeCert, acmeFacts, NOW_MS } from '../../../jobs/src/kinds/acme/acme-facts.fixture';
import { acmeField } from './acme.field';

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
    expect(() => value({})).toThrow(/fields\.acme\.value\.domains/);
    expect(() => value({ domains: ['a.example.com'], renewWithinDays: 0 })).toThrow(/fields\.acme\.value\.renewWithinDays: must be 1-365/);
  });

  it('observes the configured domains and account and the certificate SAN and expiry', () => {
    expect(acmeField.observe?.(acmeFacts())).toEqual({
      domains: ['pve1.example.com'],
      account: 'default',
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
