// The schedule services (schedules, their runs and revisions, firing, releasing held tasks): Nest
// providers over Postgres and BullMQ. The pure domain they build on is `@pvefleet/schedules`.
export * from './task-release-gate';
export * from './release-all-gate';
export * from './schedule-documents';
export * from './schedule.repository';
export * from './schedule-run.repository';
export * from './schedule-views';
export * from './schedules.service';
export * from './schedule-action-runner';
export * from './schedule-firer';
export * from './schedule-sweep';
export * from './schedule-wakeups';
export * from './held-task.repository';
export * from './task-release';
export * from './schedules.module';
// Maintenance windows (libs/schedules/src/windows is their pure arithmetic).
export * from './windows-documents';
export * from './windows-repository';
export * from './windows-service';
export * from './windows-views';
export * from './windows-work-history';
export * from './windows-release-gate';
export * from './windows-rollout-gate';
export * from './windows-module';
