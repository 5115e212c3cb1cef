import { describe, expect, it } from 'vitest';
import { DELIVERY_ATTEMPTS, RETRY_BASE_MS, retryDelayMs } from './retry-backoff';

describe('delivery retry backoff', () => {
  it('doubles from the base after each failed try', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n))).toEqual([RETRY_BASE_MS, 2 * RETRY_BASE_MS, 4 * RETRY_BASE_MS, 8 * RETRY_BASE_MS]);
    expect(retryDelayMs(3, 1_000)).toBe(4_000);
  });

  it('gives up within the hour: the waits between the tries add up to under 45 minutes', () => {
    const total = Array.from({ length: DELIVERY_ATTEMPTS - 1 }, (_, i) => retryDelayMs(i + 1)).reduce((a, b) => a + b, 0);
    expect(total).toBeLessThan(45 * 60_000);
    expect(total).toBeGreaterThan(30 * 60_000);
  });

  it('refuses a try count that is not a positive integer', () => {
    expect(() => retryDelayMs(0)).toThrow(RangeError);
    expect(() => retryDelayMs(1.5)).toThrow(RangeError);
  });
});
