import { describe, expect, it } from 'vitest';
import { planRollout, quorumSafeMaxDown, type PlannerNode } from './rollout-planner';

const cluster = (name: string, size: number, prefix = name): PlannerNode[] =>
  Array.from({ length: size }, (_, i) => ({ name: `${prefix}-n${i + 1}`, cluster: name, expectedVotes: size, labels: {} }));
const standalone = (n: number): PlannerNode[] =>
  Array.from({ length: n }, (_, i) => ({ name: `sa${i + 1}`, cluster: null, expectedVotes: null, labels: {} }));
const base = { perCluster: 1, order: 'name' as const };

describe('planRollout', () => {
  it('keeps quorum: 3 and 4 nodes may lose 1, 5 may lose 2', () => {
    expect([2, 3, 4, 5, 6, 7].map(quorumSafeMaxDown)).toEqual([0, 1, 1, 2, 2, 3]);
  });

  it('upgrades one node per cluster at a time, clusters side by side', () => {
    const plan = planRollout([...cluster('a', 4), ...cluster('b', 4), ...cluster('c', 4)], base);
    expect(plan.batches).toEqual([
      ['a-n1', 'b-n1', 'c-n1'],
      ['a-n2', 'b-n2', 'c-n2'],
      ['a-n3', 'b-n3', 'c-n3'],
      ['a-n4', 'b-n4', 'c-n4'],
    ]);
  });

  it('never takes more nodes of a cluster down than keep it quorate, whatever perCluster says', () => {
    const plan = planRollout(cluster('a', 5), { ...base, perCluster: 4 });
    expect(plan.batches).toEqual([['a-n1', 'a-n2'], ['a-n3', 'a-n4'], ['a-n5']]);
    expect(plan.clusters.a).toEqual({ expectedVotes: 5, maxDown: 2, inFlight: 2 });
  });

  it('caps every batch at batchSize, as a count or a percentage', () => {
    expect(planRollout(standalone(20), { ...base, batchSize: 10 }).batches.map((b) => b.length)).toEqual([10, 10]);
    expect(planRollout(standalone(20), { ...base, batchSize: '25%' }).batches.map((b) => b.length)).toEqual([5, 5, 5, 5]);
    expect(planRollout([...cluster('a', 4), ...cluster('b', 4)], { ...base, batchSize: 1 }).batches[0]).toEqual(['a-n1']);
  });

  it('runs standalone nodes one at a time unless a batch size is given', () => {
    expect(planRollout(standalone(3), base).batches).toEqual([['sa1'], ['sa2'], ['sa3']]);
  });

  it('finishes a canary cluster, alone, before the others', () => {
    const plan = planRollout([...cluster('a', 3), ...cluster('b', 3)], { ...base, canaryCluster: 'b' });
    expect(plan.batches).toEqual([['b-n1'], ['b-n2'], ['b-n3'], ['a-n1'], ['a-n2'], ['a-n3']]);
  });

  it('orders by label, or explicitly', () => {
    const nodes = cluster('a', 3).map((n, i) => ({ ...n, labels: { rack: ['r2', 'r1', 'r3'][i] } }));
    expect(planRollout(nodes, { ...base, order: { label: 'rack' } }).batches.flat()).toEqual(['a-n2', 'a-n1', 'a-n3']);
    expect(planRollout(nodes, { ...base, order: { nodes: ['a-n3'] } }).batches.flat()).toEqual(['a-n3', 'a-n1', 'a-n2']);
  });

  it('orders names naturally (pve2 before pve10)', () => {
    const nodes = ['pve10', 'pve2', 'pve1'].map((name) => ({ name, cluster: null, expectedVotes: null, labels: {} }));
    expect(planRollout(nodes, base).batches.flat()).toEqual(['pve1', 'pve2', 'pve10']);
  });

  it('refuses a cluster that cannot lose a node, and one without facts', () => {
    expect(() => planRollout(cluster('duo', 2), base)).toThrow(/2 expected votes: taking any node down would lose quorum/);
    expect(() => planRollout([{ name: 'x', cluster: 'c', expectedVotes: null, labels: {} }], base)).toThrow(/run facts/);
    expect(() => planRollout(cluster('a', 3), { ...base, canaryCluster: 'zz' })).toThrow(/canaryCluster|zz/);
  });
});
