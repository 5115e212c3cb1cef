// Running tasks (the worker's side): dispatch, the runner and its SSH steps, the log writer, the
// background duties. The API imports '@pvefleet/tasks' only.
export * from '../log/log-spool';
export * from '../log/task-log.writer';
export * from '../persistence/task-run.repository';
export * from '../persistence/worker-presence.repository';
export * from '../runner/node-connection';
export * from '../runner/reboot-protocol';
export * from '../runner/running-tasks';
export * from '../runner/step-executor';
export * from '../runner/task-dispatcher';
export * from '../runner/task-maintenance';
export * from '../runner/task-runner';
export * from '../runner/worker-id';
export * from '../runner/worker-presence';
export * from './task-runner.module';
