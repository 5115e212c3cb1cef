import { describe, expect, it } from 'vitest';
import { decodeLogMeta, encodeLogMeta, type LogLineMeta } from './task-log-codec';

describe('task log meta codec', () => {
  it('round-trips streams and times', () => {
    const t = 1_763_900_000_123;
    const lines: LogLineMeta[] = [
      { stream: 'sys', ts: t },
      { stream: 'out', ts: t + 1 },
      { stream: 'err', ts: t + 1 },
      { stream: 'out', ts: t + 7 * 24 * 3600 * 1000 },
    ];
    expect(decodeLogMeta(encodeLogMeta(lines), lines.length)).toEqual(lines);
  });

  it('spends about one byte per line on a fast stream', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => ({ stream: 'out' as const, ts: 1e12 + i * 3 }));
    expect(encodeLogMeta(lines).length).toBeLessThanOrEqual(8 + 1000);
  });

  it('never goes back in time when the clock does', () => {
    const decoded = decodeLogMeta(
      encodeLogMeta([
        { stream: 'out', ts: 100 },
        { stream: 'out', ts: 90 },
      ]),
      2,
    );
    expect(decoded[1].ts).toBe(100);
  });
});
