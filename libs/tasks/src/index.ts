// Submitting and querying tasks (the API's side). Running them is '@pvefleet/tasks/run', which the
// API never loads: it brings the SSH code.
export * from './api/idempotency';
export * from './api/task-cancel.service';
export * from './api/task-query.service';
export * from './api/task-submission.service';
export * from './api/task.view';
export * from './connection-watch';
export * from './facts-observer';
export * from './log/task-log-codec';
export * from './log/task-log.reader';
export * from './persistence/task.repository';
export * from './persistence/task-log.repository';
export * from './task-failure';
export * from './task-queue';
export * from './task-redis';
export * from './tasks.module';
export * from './upid';
