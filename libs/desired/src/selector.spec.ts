import { describe, expect, it } from 'vitest';
import { canMeet, matchesSelector, type NodeSelector, type SelectableNode } from './selector';

const node: SelectableNode = { name: 'pve1', labels: { site: 'fra', role: 'compute' }, cluster: 'fra-a' };

describe('matchesSelector', () => {
  it('matches when every given criterion matches', () => {
    expect(matchesSelector(node, { all: true })).toBe(true);
    expect(matchesSelector(node, { nodes: ['pve1', 'pve2'] })).toBe(true);
    expect(matchesSelector(node, { labels: { site: 'fra' } })).toBe(true);
    expect(matchesSelector(node, { clusters: ['fra-a'] })).toBe(true);
    expect(matchesSelector(node, { labels: { site: 'fra' }, clusters: ['fra-a'], nodes: ['pve1'] })).toBe(true);
  });

  it('refuses when one criterion does not match', () => {
    expect(matchesSelector(node, { nodes: ['pve2'] })).toBe(false);
    expect(matchesSelector(node, { labels: { site: 'ams' } })).toBe(false);
    expect(matchesSelector(node, { labels: { site: 'fra', rack: '1' } })).toBe(false);
    expect(matchesSelector(node, { clusters: ['ams'] })).toBe(false);
    expect(matchesSelector(node, { labels: { site: 'fra' }, nodes: ['pve2'] })).toBe(false);
  });

  it('a node whose cluster is unknown matches no cluster selector', () => {
    expect(matchesSelector({ ...node, cluster: null }, { clusters: ['fra-a'] })).toBe(false);
  });

  it('an empty selector matches nothing', () => {
    expect(matchesSelector(node, {})).toBe(false);
  });
});

describe('canMeet', () => {
  it('cannot meet on disjoint node lists, cluster lists or one label with two values', () => {
    expect(canMeet({ nodes: ['a', 'b'] }, { nodes: ['c'] })).toBe(false);
    expect(canMeet({ clusters: ['x'] }, { clusters: ['y'] })).toBe(false);
    expect(canMeet({ labels: { site: 'fra' } }, { labels: { site: 'ams' } })).toBe(false);
    expect(canMeet({ labels: { site: 'fra' }, all: true }, { labels: { role: 'x', site: 'ams' } })).toBe(false);
  });

  it('can meet otherwise', () => {
    expect(canMeet({ all: true }, { labels: { site: 'fra' } })).toBe(true);
    expect(canMeet({ nodes: ['a', 'b'] }, { nodes: ['b'] })).toBe(true);
    expect(canMeet({ labels: { site: 'fra' } }, { labels: { role: 'compute' } })).toBe(true);
    expect(canMeet({ labels: { site: 'fra' } }, { labels: { site: 'fra' } })).toBe(true);
    expect(canMeet({ nodes: ['a'] }, { clusters: ['x'] })).toBe(true);
    expect(canMeet({ clusters: ['x', 'y'] }, { clusters: ['y'] })).toBe(true);
  });

  it('is symmetric', () => {
    const pairs: [NodeSelector, NodeSelector][] = [
      [{ labels: { a: '1' } }, { labels: { a: '2', b: '1' } }],
      [{ nodes: ['n'] }, { labels: { a: '1' } }],
    ];
    for (const [a, b] of pairs) expect(canMeet(a, b)).toBe(canMeet(b, a));
  });
});
