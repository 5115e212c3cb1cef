// The schedule services (schedules, their runs and revisions, firing, releasing held tasks): Nest
// providers over Postgres and BullMQ. The pure domain they build on is `@pvefleet/schedules`.
export * from './task-release-gate';
export * from './release-all-gate';
