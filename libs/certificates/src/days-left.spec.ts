import { describe, expect, it } from 'vitest';
import { daysLeft, expiresBefore } from './days-left';

const now = new Date('2026-12-03T12:00:00Z');
const at = (iso: string) => new Date(iso);

describe('days left', () => {
  it('counts whole days, rounded down, negative once expired', () => {
    expect(daysLeft(at('2026-12-13T12:00:00Z'), now)).toBe(10);
    expect(daysLeft(at('2026-12-13T11:59:59Z'), now)).toBe(9);
    expect(daysLeft(at('2026-12-03T12:00:00Z'), now)).toBe(0);
    expect(daysLeft(at('2026-12-03T00:00:00Z'), now)).toBe(-1);
    expect(daysLeft(at('2026-11-23T12:00:00Z'), now)).toBe(-10);
  });

  it('the maxDays bound agrees with daysLeft on both sides of it', () => {
    for (const maxDays of [0, 10, 30]) {
      const bound = expiresBefore(maxDays, now);
      expect(daysLeft(new Date(bound.getTime() - 1), now)).toBe(maxDays);
      expect(daysLeft(bound, now)).toBe(maxDays + 1);
    }
  });
});
