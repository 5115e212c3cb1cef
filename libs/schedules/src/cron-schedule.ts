import { Cron } from 'croner';
import { SpecError, type FieldError } from '@pvefleet/jobs';

/**
 * Cron expressions read in an IANA time zone, through croner. Chosen over cron-parser (BullMQ's
 * default) for the spring DST gap: a time that does not exist that night (02:30 in Europe/Berlin on
 * the last Sunday of March) runs right after the change (03:00), as Debian's cron does; cron-parser
 * moves it to 03:30. In autumn a time that happens twice runs once, at its first occurrence.
 */
export class CronSchedule {
  private readonly cron: Cron;

  constructor(
    readonly expression: string,
    readonly timezone: string,
  ) {
    this.cron = new Cron(expression, { timezone, paused: true });
  }

  /** The next `count` fire times strictly after `after`. */
  next(count: number, after: Date): Date[] {
    return this.cron.nextRuns(count, after);
  }

  /**
   * Fire times in (after, until], oldest first: the latest `max` of them (a schedule that was off for
   * a year does not walk a year of minutes; what came before the latest `max` was missed anyway).
   */
  between(after: Date, until: Date, max: number): Date[] {
    return this.cron
      .previousRuns(max, new Date(until.getTime() + 1))
      .filter((t) => t > after)
      .reverse();
  }
}

/** Field errors of a cron expression and time zone, empty when both are valid. */
export function cronErrors(expression: string, timezone: string, prefix = ''): FieldError[] {
  const errors: FieldError[] = [];
  if (!validTimezone(timezone))
    errors.push({ field: `${prefix}timezone`, message: `unknown time zone '${timezone}' (an IANA name, e.g. Europe/Berlin)` });
  try {
    const cron = new Cron(expression, { timezone: errors.length ? 'UTC' : timezone, paused: true });
    if (!cron.nextRun()) errors.push({ field: `${prefix}cron`, message: `'${expression}' never fires` });
  } catch (err) {
    errors.push({ field: `${prefix}cron`, message: `invalid cron expression '${expression}': ${(err as Error).message}` });
  }
  return errors;
}

/** A CronSchedule, or a SpecError naming `cron` or `timezone`. */
export function parseCronSchedule(expression: string, timezone: string): CronSchedule {
  const errors = cronErrors(expression, timezone);
  if (errors.length) throw new SpecError(errors);
  return new CronSchedule(expression, timezone);
}

function validTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return timezone !== '';
  } catch {
    return false;
  }
}
