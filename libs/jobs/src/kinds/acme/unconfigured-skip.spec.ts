import { describe, expect, it } from 'vitest';
import { parseOrThrow } from '../../spec-error';
import { acmeCert, acmeFacts, NOW_MS } from './acme-facts.fixture';
import { acmeRenewJob } from './acmerenew.job';

const spec = (params: object = {}) => parseOrThrow(acmeRenewJob.spec, params, 'params');
const noAcme = acmeFacts({ acme: { account: null, domains: [], accounts: ['default'] } });
const notPve = acmeFacts({ pveversion: null, pveManagerVersion: null, pveMajor: null, acme: null, certificate: null });

describe('acmerenew skipUnconfigured (fleet-wide schedules)', () => {
  it('leaves a node without ACME domains, or not PVE, alone: no step, the reason as the note and the result', () => {
    const plan = acmeRenewJob.plan(spec({ skipUnconfigured: true }), noAcme);
    expect(plan).toEqual({ notes: ['no ACME domains configured on the node: nothing to renew (skipUnconfigured)'], steps: [] });
    expect(acmeRenewJob.plan(spec({ skipUnconfigured: true }), notPve).notes?.[0]).toMatch(/^not a Proxmox VE node/);
    const outcome = acmeRenewJob.finish!(spec({ skipUnconfigured: true }), {}, { facts: noAcme, now: NOW_MS });
    expect(outcome.result).toEqual({
      action: 'none',
      renewed: false,
      skipped: true,
      reason: 'no ACME domains configured on the node: nothing to renew (skipUnconfigured)',
    });
    expect(outcome.facts).toBe(noAcme);
  });

  it('a configured node is renewed as usual; without the flag (or with domains) nothing is skipped', () => {
    const due = acmeFacts({ certificate: acmeCert(10) });
    expect(acmeRenewJob.plan(spec({ skipUnconfigured: true }), due).steps[0].command).toBe('pvenode acme cert renew');
    expect(() => acmeRenewJob.plan(spec(), noAcme)).toThrow(/no ACME domains configured/);
    expect(acmeRenewJob.plan(spec({ skipUnconfigured: true, domains: ['pve1.example.com'] }), noAcme).steps.length).toBeGreaterThan(0);
  });
});
