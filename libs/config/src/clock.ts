import { readFileSync, statSync } from 'node:fs';

/** Token for the process's `Clock`. */
export const CLOCK = Symbol('CLOCK');

/**
 * Wall-clock time for everything decided by the calendar: schedules firing, spread starts,
 * maintenance windows, certificate days left, alert deduplication. Leases, heartbeats and timeouts
 * keep Postgres' `now()` and real timers: they measure elapsed time, not the calendar.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock shifted by the offset (milliseconds, an integer as text) written in a file, so that a test
 * moves every process's calendar at once (API, workers) without waiting. Only tests set
 * `PVEFLEET_CLOCK_FILE`; a missing or empty file means no shift. The file is read at most every
 * 100 ms: a test that moves the clock waits for that before expecting anything.
 */
export class OffsetFileClock implements Clock {
  private offsetMs = 0;
  private checkedAt = 0;
  private mtimeMs = -1;

  constructor(private readonly file: string) {}

  now(): Date {
    const real = Date.now();
    if (real - this.checkedAt >= 100) {
      this.checkedAt = real;
      this.offsetMs = this.readOffset();
    }
    return new Date(real + this.offsetMs);
  }

  private readOffset(): number {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(this.file).mtimeMs;
    } catch {
      this.mtimeMs = -1;
      return 0;
    }
    if (mtimeMs === this.mtimeMs) return this.offsetMs;
    this.mtimeMs = mtimeMs;
    const text = readFileSync(this.file, 'utf8').trim();
    const offset = text === '' ? 0 : Number(text);
    if (!Number.isSafeInteger(offset)) throw new Error(`${this.file}: the clock offset must be an integer of milliseconds, got "${text}"`);
    return offset;
  }
}

export const clockFromEnv = (env: NodeJS.ProcessEnv = process.env): Clock =>
  env.PVEFLEET_CLOCK_FILE ? new OffsetFileClock(env.PVEFLEET_CLOCK_FILE) : systemClock;
