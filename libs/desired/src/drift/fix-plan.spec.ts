import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { pveNodeFacts } from '../../../jobs/src/testing/node-facts.fixture';
import type { DesiredField } from '../desired-field';
import type { FieldDrift } from './field-drift';
import { busyKey, planFixes, unconfirmedDestroys, type ReconcileNode } from './fix-plan';

const ntp: DesiredField<string[], string[]> = {
  key: 'ntp',
  description: 'NTP servers',
  scope: 'node',
  defaultMode: 'enforce',
  schema: z.array(z.string()),
  fix: (servers) => [{ type: 'ntp', params: { servers } }],
};
const pools: DesiredField<string[], string[]> = {
  key: 'pools',
  description: 'pools',
  scope: 'node',
  defaultMode: 'enforce',
  schema: z.array(z.string()),
  fix: (disks) => [{ type: 'zfscreate', params: { name: 'tank', devices: disks }, destroys: disks }],
};
const metrics: DesiredField<string, string> = {
  key: 'metrics',
  description: 'metric servers',
  scope: 'cluster',
  defaultMode: 'enforce',
  schema: z.string(),
  fix: (v) => [{ type: 'metricserver', params: { v } }],
};
const fields = [ntp, pools, metrics];

function drift(field: string, status: FieldDrift['status'], mode: FieldDrift['mode'] = 'enforce'): FieldDrift {
  return { field, status, mode, source: { kind: 'profile', name: 'p', revision: 1 }, desired: null, observed: null, reason: null };
}

function node(name: string, rows: FieldDrift[], cluster: string | null = null, quorate = true): ReconcileNode {
  const facts = pveNodeFacts(8, {
    hostname: name,
    cluster: cluster ? { name: cluster, quorate, expectedVotes: 3, totalVotes: 3, members: [] } : null,
  });
  const desired = Object.fromEntries(
    rows.map((r) => [
      r.field,
      { value: r.field === 'ntp' ? ['ntp1'] : r.field === 'pools' ? ['/dev/disk/by-id/a'] : 'g', mode: r.mode, source: r.source },
    ]),
  );
  return { name, cluster, facts, desired, drift: rows };
}

describe('planFixes', () => {
  it('fixes drifting enforce fields only; report fields and compliant or unknown ones get no task', () => {
    const out = planFixes(
      [
        node('pve1', [drift('ntp', 'drift')]),
        node('pve2', [drift('ntp', 'compliant')]),
        node('pve3', [drift('ntp', 'unknown')]),
        node('pve4', [drift('ntp', 'drift', 'report')]),
      ],
      { busy: new Set() },
      fields,
    );
    expect(out.fixes).toEqual([{ node: 'pve1', field: 'ntp', type: 'ntp', params: { servers: ['ntp1'] } }]);
    expect(out.skipped).toEqual([{ node: 'pve4', field: 'ntp', reason: 'report mode: drift is shown, nothing runs' }]);
  });

  it('never adds a task where a reconcile task for the field is unfinished, and honours the fields filter', () => {
    const nodes = [node('pve1', [drift('ntp', 'drift'), drift('pools', 'drift')])];
    expect(planFixes(nodes, { busy: new Set([busyKey('pve1', 'ntp')]) }, fields).fixes.map((f) => f.field)).toEqual(['pools']);
    expect(planFixes(nodes, { busy: new Set(), fields: ['ntp'] }, fields).fixes.map((f) => f.field)).toEqual(['ntp']);
  });

  it('fixes a cluster field once per cluster, through its first quorate node', () => {
    const out = planFixes(
      [
        node('b2', [drift('metrics', 'drift')], 'beta', false),
        node('a2', [drift('metrics', 'drift')], 'alpha'),
        node('a1', [drift('metrics', 'drift')], 'alpha', false),
        node('b1', [drift('metrics', 'drift')], 'beta', false),
      ],
      { busy: new Set() },
      fields,
    );
    expect(out.fixes.map((f) => f.node)).toEqual(['a2']);
    expect(out.skipped).toContainEqual({ node: 'a1', field: 'metrics', reason: 'cluster alpha is fixed through a2' });
    expect(out.skipped.filter((s) => s.node.startsWith('b')).map((s) => s.reason)).toEqual([
      'no quorate node of cluster beta among the drifting ones: a cluster-wide file needs quorum',
      'no quorate node of cluster beta among the drifting ones: a cluster-wide file needs quorum',
    ]);
  });
});

describe('unconfirmedDestroys', () => {
  const fixes = planFixes([node('pve1', [drift('pools', 'drift')])], { busy: new Set() }, fields).fixes;

  it('needs a confirmation naming the node and exactly its devices', () => {
    expect(unconfirmedDestroys(fixes, [])).toEqual([{ node: 'pve1', field: 'pools', devices: ['/dev/disk/by-id/a'] }]);
    expect(unconfirmedDestroys(fixes, [{ node: 'pve2', devices: ['/dev/disk/by-id/a'] }])).toHaveLength(1);
    expect(unconfirmedDestroys(fixes, [{ node: 'pve1', devices: ['/dev/disk/by-id/a', '/dev/disk/by-id/b'] }])).toHaveLength(1);
    expect(unconfirmedDestroys(fixes, [{ node: 'pve1', devices: ['/dev/disk/by-id/a'] }])).toEqual([]);
  });
});
