import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { OffsetFileClock, clockFromEnv, systemClock } from './clock';

describe('clock', () => {
  it('is the system clock unless a clock file is configured', () => {
    expect(clockFromEnv({})).toBe(systemClock);
    expect(clockFromEnv({ PVEFLEET_CLOCK_FILE: '/nonexistent' })).toBeInstanceOf(OffsetFileClock);
  });

  it('shifts by the offset in its file, re-read after it changes', () => {
    vi.useFakeTimers({ now: new Date('2026-03-29T00:00:00Z'), toFake: ['Date'] });
    try {
      const file = join(mkdtempSync(join(tmpdir(), 'clock-')), 'offset');
      const clock = new OffsetFileClock(file);
      expect(clock.now().toISOString()).toBe('2026-03-29T00:00:00.000Z');
      writeFileSync(file, String(3_600_000));
      vi.setSystemTime(new Date('2026-03-29T00:00:01Z'));
      expect(clock.now().toISOString()).toBe('2026-03-29T01:00:01.000Z');
      writeFileSync(file, 'soon');
      vi.setSystemTime(new Date('2026-03-29T00:00:02Z'));
      // mtime may not move within the same millisecond on every filesystem; force a re-read
      (clock as unknown as { mtimeMs: number }).mtimeMs = -2;
      expect(() => clock.now()).toThrow(/integer of milliseconds/);
    } finally {
      vi.useRealTimers();
    }
  });
});
