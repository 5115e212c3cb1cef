import type { NodeFacts } from '@pvefleet/jobs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { pveNodeFacts } from '../../../jobs/src/testing/node-facts.fixture';
import type { DesiredField } from '../desired-field';
import type { MergedField } from '../merge';
import { computeNodeDrift, observeAll, whyFactsUntrusted, type DriftClock, type NodeDriftInput } from './field-drift';

/** A small field of the ntp kind's shape: the servers in chrony's drop-ins. */
const servers: DesiredField<string[], string[]> = {
  key: 'servers',
  description: 'the NTP servers',
  scope: 'node',
  defaultMode: 'enforce',
  schema: z.array(z.string()),
  observe: (facts: NodeFacts) =>
    facts.time.daemon === 'chrony'
      ? facts.time.chronySources.flatMap((f) => [...f.content.matchAll(/^server (\S+)/gm)].map((m) => m[1])).sort()
      : null,
  differs: (desired, observed) =>
    desired.join(',') === observed.join(',') ? undefined : `servers are ${observed.join(', ') || 'none'}, not ${desired.join(', ')}`,
  fix: () => [],
};
/** A setting with nothing on the node to compare (like the upgrade policy). */
const policy: DesiredField<string, never> = {
  key: 'policy',
  description: 'a setting',
  scope: 'node',
  defaultMode: 'enforce',
  schema: z.string(),
};
const fields = [servers, policy];

const NOW = Date.UTC(2026, 11, 3, 12);
const clock: DriftClock = { now: NOW, refreshIntervalMs: 15 * 60_000 };
const fromProfile = (value: unknown): MergedField => ({ value, mode: 'enforce', source: { kind: 'profile', name: 'fra', revision: 2 } });

function chronyFacts(...names: string[]): NodeFacts {
  const facts = pveNodeFacts(8);
  facts.time.chronySources = [
    { path: '/etc/chrony/sources.d/pvefleet.sources', content: names.map((n) => `server ${n} iburst\n`).join('') },
  ];
  return facts;
}

function input(over: Partial<NodeDriftInput> = {}): NodeDriftInput {
  return {
    desired: { servers: fromProfile(['ntp1.example.com', 'ntp2.example.com']) },
    observed: observeAll(chronyFacts('ntp1.example.com', 'ntp2.example.com'), fields),
    factsAt: NOW - 60_000,
    factsError: null,
    ...over,
  };
}

describe('computeNodeDrift', () => {
  it('is compliant when the observation matches', () => {
    expect(computeNodeDrift(input(), clock, fields)).toEqual([
      {
        field: 'servers',
        status: 'compliant',
        mode: 'enforce',
        source: { kind: 'profile', name: 'fra', revision: 2 },
        desired: ['ntp1.example.com', 'ntp2.example.com'],
        observed: ['ntp1.example.com', 'ntp2.example.com'],
        reason: null,
      },
    ]);
  });

  it('drifts with the reason the field gives, naming the observed value', () => {
    const [row] = computeNodeDrift(input({ observed: observeAll(chronyFacts('pool.ntp.org'), fields) }), clock, fields);
    expect(row).toMatchObject({
      status: 'drift',
      observed: ['pool.ntp.org'],
      reason: 'servers are pool.ntp.org, not ntp1.example.com, ntp2.example.com',
    });
  });

  it('is unknown, never compliant, when the facts are older than two refresh intervals', () => {
    const [row] = computeNodeDrift(input({ factsAt: NOW - 31 * 60_000 }), clock, fields);
    expect(row.status).toBe('unknown');
    expect(row.reason).toMatch(/older than two refresh intervals \(2 × 15 min\)/);
    // Just inside two intervals the same facts still count.
    expect(computeNodeDrift(input({ factsAt: NOW - 29 * 60_000 }), clock, fields)[0].status).toBe('compliant');
  });

  it('is unknown when the last facts collection failed, even with fresh-looking facts', () => {
    const [row] = computeNodeDrift(input({ factsError: { message: 'connect ECONNREFUSED', at: NOW - 1_000 } }), clock, fields);
    expect(row.status).toBe('unknown');
    expect(row.reason).toContain('connect ECONNREFUSED');
    expect(row.observed).toEqual(['ntp1.example.com', 'ntp2.example.com']);
  });

  it('is unknown without facts, and when the facts cannot tell (a plain Debian host without chrony)', () => {
    expect(computeNodeDrift(input({ factsAt: null, observed: null }), clock, fields)[0]).toMatchObject({
      status: 'unknown',
      reason: 'no facts collected yet',
    });
    const noChrony = pveNodeFacts(8);
    noChrony.time.daemon = null;
    expect(computeNodeDrift(input({ observed: observeAll(noChrony, fields) }), clock, fields)[0]).toMatchObject({
      status: 'unknown',
      observed: null,
      reason: "the node's facts do not show the NTP servers",
    });
  });

  it('gives settings without observation no row, and a key no field knows an unknown one', () => {
    const rows = computeNodeDrift(input({ desired: { policy: fromProfile('never'), gone: fromProfile(1) } }), clock, fields);
    expect(rows).toEqual([expect.objectContaining({ field: 'gone', status: 'unknown' })]);
  });

  it('keeps mode and source as merged (report fields drift the same way)', () => {
    const desired = { servers: { value: ['x'], mode: 'report' as const, source: { kind: 'override' as const, revision: 4 } } };
    expect(computeNodeDrift(input({ desired }), clock, fields)[0]).toMatchObject({
      status: 'drift',
      mode: 'report',
      source: { kind: 'override' },
    });
  });
});

describe('observeAll', () => {
  it('keeps one compact observation per observable field, null where the facts cannot tell', () => {
    expect(observeAll(chronyFacts('b', 'a'), fields)).toEqual({ $cluster: null, servers: ['a', 'b'] });
    const throwing: DesiredField = {
      ...servers,
      key: 'odd',
      observe: () => {
        throw new Error('odd facts');
      },
    };
    expect(observeAll(chronyFacts('a'), [throwing])).toEqual({ $cluster: null, odd: null });
  });
});

describe('whyFactsUntrusted', () => {
  it('prefers the failed collection over age', () => {
    expect(whyFactsUntrusted({ factsAt: 0, factsError: { message: 'auth', at: NOW } }, clock)).toMatch(
      /^facts could not be collected at .*: auth$/,
    );
  });
});
