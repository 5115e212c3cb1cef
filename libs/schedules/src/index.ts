// Schedules' pure domain: cron and time zones, fire times, spread order, missed-run decisions. The
// Nest services over Postgres and BullMQ are `@pvefleet/schedules/state`.
export * from './schedule-options';
export * from './cron-schedule';
export * from './spread-order';
export * from './missed-runs';
