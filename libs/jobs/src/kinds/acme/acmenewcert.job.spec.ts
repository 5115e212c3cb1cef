import { describe, expect, it } from 'vitest';
import { parseOrThrow, SpecError } from '../../spec-error';
import { acmeCert, acmeFacts, certInfoJson, FP_NEW, NOW_MS } from './acme-facts.fixture';
import { acmeNewCertJob } from './acmenewcert.job';
import { servedCheck } from './served-cert.fixture';

const spec = (params: object = {}) => parseOrThrow(acmeNewCertJob.spec, params, 'params');

describe.each([8, 9] as const)('acmenewcert plan (PVE %i)', (major) => {
  it('orders with --force when a custom certificate exists', () => {
    const plan = acmeNewCertJob.plan(spec(), acmeFacts({}, major));
    expect(plan.steps.map((s) => s.command)).toEqual([
      'pvenode acme cert order --force 1',
      'pvenode cert info --output-format json',
      servedCheck('pve1.example.com'),
    ]);
    expect(plan.notes).toContain('replacing the custom certificate (expires in 60 days (2026-12-31)) with a new order');
  });

  it('orders without --force when there is none, configuring the domains first', () => {
    const facts = acmeFacts({ certificate: null, acme: { account: null, domains: [], accounts: ['default', 'staging'] } }, major);
    expect(acmeNewCertJob.plan(spec({ domains: ['pve1.example.com'], account: 'staging' }), facts).steps.map((s) => s.command)).toEqual([
      'pvenode config set --acme account=staging,domains=pve1.example.com',
      'pvenode config get',
      'pvenode acme cert order',
      'pvenode cert info --output-format json',
      servedCheck('pve1.example.com'),
    ]);
  });
});

describe('acmenewcert', () => {
  it('has no renewal options', () => {
    expect(acmeNewCertJob.spec.safeParse({ force: true }).success).toBe(false);
    const r = acmeNewCertJob.spec.safeParse({ domains: ['$(reboot).example.com'] });
    expect(r.success ? [] : SpecError.fromZod(r.error, 'params').errors.map((e) => e.field)).toEqual(['params.domains.0']);
  });

  it('reports an ACME failure with the CA message and what was configured', () => {
    const facts = acmeFacts({ certificate: null, acme: { account: null, domains: [], accounts: ['default'] } });
    const order = acmeNewCertJob.plan(spec({ domains: ['pve1.example.com'] }), facts).steps[2];
    expect(order.verify!({ stdout: 'Placing ACME order\nTask too many certificates already issued', exitCode: 255 }, {})).toBe(
      "ACME certificate order failed: too many certificates already issued (the node's ACME config was set to account=default,domains=pve1.example.com)",
    );
  });

  it('verifies and records a first certificate', () => {
    const facts = acmeFacts({ certificate: null });
    const [, readBack] = acmeNewCertJob.plan(spec(), facts).steps;
    const out = { stdout: certInfoJson(acmeCert(90, FP_NEW)), exitCode: 0 };
    expect(readBack.verify!(out, {})).toBeUndefined();
    const outcome = acmeNewCertJob.finish!(spec(), { certinfo: out }, { facts, now: NOW_MS });
    expect(outcome.result).toMatchObject({
      action: 'order',
      renewed: true,
      oldNotAfter: null,
      oldFingerprint: null,
      newFingerprint: FP_NEW,
    });
  });
});
