import { describe, expect, it } from 'vitest';
import { refreshOffsetMs } from './facts-refresh-round';

describe('refreshOffsetMs', () => {
  it("gives each node the same offset every round, within the spread, and spreads a fleet's nodes out", () => {
    const spread = 7.5 * 60_000;
    const offsets = Array.from({ length: 1_000 }, (_, i) => refreshOffsetMs(`pve${i}`, spread));
    expect(offsets.every((o) => o >= 0 && o < spread)).toBe(true);
    expect(refreshOffsetMs('pve1', spread)).toBe(offsets[1]);
    // A tenth of the spread holds about a tenth of the nodes, never most of them.
    expect(offsets.filter((o) => o < spread / 10).length).toBeLessThan(200);
  });

  it('is 0 without a spread (jitter 0)', () => {
    expect(refreshOffsetMs('pve1', 0)).toBe(0);
  });
});
