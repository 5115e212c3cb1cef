/** What every log line of one task's work carries, so a task's lines can be found in any log store. */
export interface TaskLogContext {
  upid: string;
  node: string;
  rolloutId?: string | number | null;
}

/** Fields a line carries when it is about a task's or a rollout tick's work. */
export type LogContext = Partial<Record<'upid' | 'node' | 'rolloutId', string | number>>;

// These fields are passed explicitly (`logger.warn(taskLogFields(task), text)`), not through
// AsyncLocalStorage: on Node 20 a live AsyncLocalStorage runs a hook on every promise of the
// process, which cost the worker some 0.1 ms of CPU per task (15 % of a no-op task, bench:throughput)
// for the handful of process-log lines a task's work ever writes.

/** A task's fields: its UPID, node and rollout (if any). */
export function taskLogFields({ upid, node, rolloutId }: TaskLogContext): LogContext {
  return rolloutId === undefined || rolloutId === null ? { upid, node } : { upid, node, rolloutId };
}

/** A rollout tick's fields. */
export function rolloutLogFields(rolloutId: number | string): LogContext {
  return { rolloutId };
}
