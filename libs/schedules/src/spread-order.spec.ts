import { describe, expect, it } from 'vitest';
import { spreadOffsets } from './spread-order';

const nodes = Array.from({ length: 8 }, (_, i) => `pve${i + 1}`);

describe('spreadOffsets', () => {
  it('spaces the nodes evenly over the spread, the first at the fire time', () => {
    const offsets = [...spreadOffsets(7, nodes, 8).values()].sort((a, b) => a - b);
    expect(offsets).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((m) => m * 60_000));
  });

  it('is reproducible whatever the order the nodes come in', () => {
    expect([...spreadOffsets(7, nodes, 30)].sort()).toEqual([...spreadOffsets(7, [...nodes].reverse(), 30)].sort());
  });

  it('orders the nodes differently for different schedules', () => {
    const order = (id: number) => [...spreadOffsets(id, nodes, 30)].sort((a, b) => a[1] - b[1]).map(([n]) => n);
    expect(order(1)).not.toEqual(order(2));
    expect(order(1)).toEqual(order(1));
  });

  it('starts every node at once without a spread', () => {
    expect(new Set(spreadOffsets(3, nodes, 0).values())).toEqual(new Set([0]));
    expect(spreadOffsets(3, [], 10).size).toBe(0);
  });
});
