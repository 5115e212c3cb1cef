import type { Logger } from '@nestjs/common';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RepeatedFailureLog } from './repeated-failure-log';

describe('RepeatedFailureLog', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('says the first failure, then at most one line per 30 s with a count, then that it works again', () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const logger = { warn: (l: string) => lines.push(`warn ${l}`), log: (l: string) => lines.push(`log ${l}`) } as unknown as Logger;
    const log = new RepeatedFailureLog(logger, 'presence beat (worker w1)');
    log.failed(new Error('ECONNREFUSED'));
    for (let i = 0; i < 29; i++) {
      vi.advanceTimersByTime(1_000);
      log.failed(new Error('ECONNREFUSED'));
    }
    expect(lines).toEqual(['warn presence beat (worker w1) failed: ECONNREFUSED']);
    vi.advanceTimersByTime(1_000);
    log.failed(new Error('ECONNREFUSED'));
    expect(lines[1]).toBe('warn presence beat (worker w1) still failing after 30 s (30 more failures): ECONNREFUSED');
    log.succeeded();
    expect(lines[2]).toBe('log presence beat (worker w1) works again after 30 s');
    log.succeeded();
    expect(lines).toHaveLength(3);
  });
});
