import { describe, expect, it } from 'vitest';
import type { Outputs } from '../../job-kind';
import { parseOrThrow, SpecError } from '../../spec-error';
import { acmeCert, acmeFacts, certInfoJson, DAY_S, FP_NEW, FP_OLD, NOW_MS } from './acme-facts.fixture';
import { acmeRenewJob } from './acmerenew.job';
import { servedCheck } from './served-cert.fixture';

const spec = (params: object = {}) => parseOrThrow(acmeRenewJob.spec, params, 'params');
const commands = (params: object, facts = acmeFacts()) => acmeRenewJob.plan(spec(params), facts).steps.map((s) => s.command);
const fieldsOf = (params: object) => {
  const r = acmeRenewJob.spec.safeParse(params);
  return r.success ? [] : [...new Set(SpecError.fromZod(r.error, 'params').errors.map((e) => e.field))];
};
const planError = (params: object, facts = acmeFacts()) => {
  try {
    acmeRenewJob.plan(spec(params), facts);
  } catch (err) {
    return (err as SpecError).errors;
  }
  return undefined;
};

describe('acmerenew spec', () => {
  it('defaults: the node’s domains and account, 30-day window, not forced', () => {
    expect(spec()).toEqual({ force: false, renewWithinDays: 30, skipUnconfigured: false });
    expect(spec({ domains: ['pve1.example.com'], account: 'le-prod', force: true, renewWithinDays: 45 })).toMatchObject({
      account: 'le-prod',
    });
  });

  it('rejects injection attempts and bad values, naming the field', () => {
    for (const bad of [
      'a;reboot.example.com',
      '$(id).example.com',
      '`id`.example.com',
      'a\nb.example.com',
      "a'b.example.com",
      '../etc',
      'localhost',
      `${'a'.repeat(250)}.com`,
      '',
    ]) {
      expect(fieldsOf({ domains: ['pve1.example.com', bad] }), JSON.stringify(bad)).toEqual(['params.domains.1']);
    }
    for (const bad of ['a;b', '$(id)', 'x', '1abc', 'a b', 'a'.repeat(65)])
      expect(fieldsOf({ account: bad }), bad).toEqual(['params.account']);
    expect(fieldsOf({ domains: [] })).toEqual(['params.domains']);
    expect(fieldsOf({ domains: ['a.example.com', 'A.example.com'] })).toEqual(['params.domains.1']);
    expect(fieldsOf({ renewWithinDays: 0 })).toEqual(['params.renewWithinDays']);
    expect(fieldsOf({ force: 'yes' })).toEqual(['params.force']);
    expect(fieldsOf({ days: 3 })).toEqual(['params.days']);
  });
});

describe.each([8, 9] as const)('acmerenew plan (PVE %i)', (major) => {
  it('a certificate far from expiry: not renewed, only read back', () => {
    const plan = acmeRenewJob.plan(spec(), acmeFacts({}, major));
    expect(plan.steps.map((s) => s.command)).toEqual(['pvenode cert info --output-format json']);
    expect(plan.notes).toEqual([
      'ACME account default, domains pve1.example.com (as configured on the node)',
      'certificate expires in 60 days (2026-12-31), not renewing (renewal window 30 days)',
    ]);
  });

  it('expiring within the window: renew (PVE renews on its own within 30 days)', () => {
    const facts = acmeFacts({ certificate: acmeCert(10) }, major);
    expect(commands({}, facts)).toEqual([
      'pvenode acme cert renew',
      'pvenode cert info --output-format json',
      servedCheck('pve1.example.com'),
    ]);
    expect(acmeRenewJob.plan(spec(), facts).notes?.[1]).toBe(
      'certificate expires in 10 days (2026-11-11), within the renewal window of 30 days: renewing',
    );
    expect(commands({}, acmeFacts({ certificate: acmeCert(-20) }, major))[0]).toBe('pvenode acme cert renew');
  });

  it('a wider window than PVE’s 30 days needs --force; so does force', () => {
    expect(commands({ renewWithinDays: 45 }, acmeFacts({ certificate: acmeCert(40) }, major))[0]).toBe('pvenode acme cert renew --force 1');
    expect(commands({ force: true }, acmeFacts({}, major))[0]).toBe('pvenode acme cert renew --force 1');
  });

  it('no custom certificate: order a first one', () => {
    const plan = acmeRenewJob.plan(spec(), acmeFacts({ certificate: null }, major));
    expect(plan.steps.map((s) => s.command)).toEqual([
      'pvenode acme cert order',
      'pvenode cert info --output-format json',
      servedCheck('pve1.example.com'),
    ]);
    expect(plan.notes).toContain('no custom certificate (pveproxy-ssl.pem): ordering a first one');
  });

  it('configures domains from the spec (quoted) and renews when the certificate does not cover them', () => {
    expect(commands({ domains: ['pve1.example.com', 'PVE.example.com'] }, acmeFacts({}, major))).toEqual([
      "pvenode config set --acme 'account=default,domains=pve1.example.com;pve.example.com'",
      'pvenode config get',
      'pvenode acme cert renew --force 1',
      'pvenode cert info --output-format json',
      servedCheck('pve1.example.com'),
    ]);
    // The same domains as configured: nothing to set, nothing to renew.
    expect(commands({ domains: ['pve1.example.com'] }, acmeFacts({}, major))).toEqual(['pvenode cert info --output-format json']);
  });
});

describe('acmerenew plan errors name the field', () => {
  it('no domains anywhere, an unknown account, an account change without domains, not PVE', () => {
    expect(planError({}, acmeFacts({ acme: { account: null, domains: [], accounts: ['default'] } }))).toEqual([
      { field: 'params.domains', message: 'the node has no ACME domains configured: give the domains to order the certificate for' },
    ]);
    expect(planError({ domains: ['pve1.example.com'], account: 'other' })).toEqual([
      { field: 'params.account', message: "the node has no ACME account 'other' (registered: default)" },
    ]);
    expect(
      planError({ domains: ['pve1.example.com'] }, acmeFacts({ acme: { account: null, domains: [], accounts: [] } }))?.[0].message,
    ).toBe("the node has no ACME account 'default' (none registered (pvenode acme account register))");
    expect(planError({ account: 'other' })?.[0].field).toBe('params.account');
    expect(
      planError({}, acmeFacts({ pveversion: null, pveManagerVersion: null, pveMajor: null, acme: null, certificate: null }))?.[0].field,
    ).toBe('params');
  });
});

describe('acmerenew order/renew and read-back checks', () => {
  const facts = acmeFacts({ certificate: acmeCert(10) });
  const [renew, readBack] = acmeRenewJob.plan(spec(), facts).steps;

  it('accepts exit 255 so the task fails with the ACME message', () => {
    expect(renew.okExitCodes).toEqual([0, 255]);
    expect(renew.verify!({ stdout: 'Loading ACME account details\nPlacing ACME order\nTask OK', exitCode: 0 }, {})).toBeUndefined();
    expect(
      renew.verify!(
        {
          stdout: 'Loading ACME account details\nPlacing ACME order\nTask Error: POST to https://acme/new-order rateLimited',
          exitCode: 255,
        },
        {},
      ),
    ).toBe('ACME certificate renew failed: Error: POST to https://acme/new-order rateLimited');
    expect(renew.verify!({ stdout: '', exitCode: 255 }, {})).toBe(
      "ACME certificate renew failed: 'pvenode acme cert renew' exited with 255 (see the log)",
    );
  });

  it('fails unless the new notAfter is later and covers the domains', () => {
    const later = acmeCert(90, FP_NEW);
    expect(readBack.verify!({ stdout: certInfoJson(later), exitCode: 0 }, {})).toBeUndefined();
    expect(readBack.verify!({ stdout: certInfoJson(acmeCert(10)), exitCode: 0 }, {})).toBe(
      'the certificate was not replaced: notAfter still 2026-11-11T00:00:00.000Z (before: 2026-11-11T00:00:00.000Z)',
    );
    expect(readBack.verify!({ stdout: certInfoJson(acmeCert(90, FP_NEW, ['other.example.com'])), exitCode: 0 }, {})).toBe(
      'the new certificate does not cover pve1.example.com (covers: other.example.com)',
    );
    expect(readBack.verify!({ stdout: certInfoJson(null), exitCode: 0 }, {})).toBe('no custom certificate after the renew');
    expect(readBack.verify!({ stdout: 'not json', exitCode: 0 }, {})).toMatch(/^cannot read 'pvenode cert info --output-format json': /);
  });

  it('records old and new expiry and fingerprint, and updates the facts', () => {
    const outputs: Outputs = { certinfo: { stdout: certInfoJson(acmeCert(90, FP_NEW)), exitCode: 0 } };
    const outcome = acmeRenewJob.finish!(spec(), outputs, { facts, now: NOW_MS });
    expect(outcome.result).toEqual({
      action: 'renew',
      renewed: true,
      reason: 'certificate expires in 10 days (2026-11-11), within the renewal window of 30 days: renewing',
      oldNotAfter: '2026-11-11T00:00:00.000Z',
      newNotAfter: new Date(NOW_MS + 90 * DAY_S * 1000).toISOString(),
      oldFingerprint: FP_OLD,
      newFingerprint: FP_NEW,
      account: 'default',
      domains: ['pve1.example.com'],
      // The served check's output was not given here.
      servedFingerprint: null,
    });
    expect(outcome.facts?.certificate?.fingerprint).toBe(FP_NEW);
    // With the new certificate in the facts, the next run has nothing to do.
    expect(acmeRenewJob.plan(spec(), outcome.facts!).steps.map((s) => s.command)).toEqual(['pvenode cert info --output-format json']);
  });

  it('not renewed: the same certificate on both sides', () => {
    const outcome = acmeRenewJob.finish!(
      spec(),
      { certinfo: { stdout: certInfoJson(acmeCert(60)), exitCode: 0 } },
      { facts: acmeFacts(), now: NOW_MS },
    );
    expect(outcome.result).toMatchObject({ action: 'none', renewed: false, oldFingerprint: FP_OLD, newFingerprint: FP_OLD });
    const [readOnly] = acmeRenewJob.plan(spec(), acmeFacts()).steps;
    expect(readOnly.verify!({ stdout: certInfoJson(null), exitCode: 0 }, {})).toBe('the node has no custom certificate any more');
  });
});
