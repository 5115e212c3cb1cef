export * from './task.repository';
export * from './task-log.repository';
export * from './task-run.repository';
export * from './worker-presence.repository';
