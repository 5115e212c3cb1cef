import { describe, expect, it } from 'vitest';
import { DEFAULT_DURATIONS_MS, expectedDurationMs, FALLBACK_DURATION_MS, median } from './expected-duration';

describe('expected duration', () => {
  it('is the median of the node runs, then the fleet runs, then the kind default', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4000, 1000, 3000, 10000])).toBe(3500);
    expect(expectedDurationMs('aptupgrade', [100, 300, 200], [1, 2])).toBe(200);
    expect(expectedDurationMs('aptupgrade', [], [1, 2, 3])).toBe(2);
    expect(expectedDurationMs('aptupgrade', [], [])).toBe(DEFAULT_DURATIONS_MS.aptupgrade);
    expect(expectedDurationMs('swappiness', [], [])).toBe(FALLBACK_DURATION_MS);
  });
});
