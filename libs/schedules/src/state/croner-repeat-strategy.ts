import type { RepeatStrategy } from 'bullmq';
import { CronSchedule } from '@pvefleet/schedules';

/**
 * BullMQ's next run time for a cron job scheduler, from croner instead of its default cron-parser:
 * the wake-ups then agree with the fire times ScheduleFirer computes, DST gap included.
 */
export const cronerRepeatStrategy: RepeatStrategy = (millis, opts) => {
  if (!opts.pattern) return undefined;
  const next = new CronSchedule(opts.pattern, opts.tz ?? 'UTC').next(1, new Date(millis)).at(0);
  return next?.getTime();
};
