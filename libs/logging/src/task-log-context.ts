import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line of one task's work carries, so a task's lines can be found in any log store. */
export interface TaskLogContext {
  upid: string;
  node: string;
  rolloutId?: string | number | null;
}

/** Fields every line logged inside carries (a task's, a rollout tick's). */
export type LogContext = Partial<Record<'upid' | 'node' | 'rolloutId', string | number>>;

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` so that every line logged inside it (awaits and callbacks included) carries `fields`, on top of any outer context. */
export function withLogContext<T>(fields: LogContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...fields }, fn);
}

/** Around one task's run in a worker: its lines carry the task's UPID, node and rollout (if any). */
export function withTaskLogContext<T>(context: TaskLogContext, fn: () => T): T {
  const { upid, node, rolloutId } = context;
  return withLogContext(rolloutId === undefined || rolloutId === null ? { upid, node } : { upid, node, rolloutId }, fn);
}

/** Around one rollout tick: its lines carry the rollout id. */
export function withRolloutLogContext<T>(rolloutId: number | string, fn: () => T): T {
  return withLogContext({ rolloutId }, fn);
}

/** The fields for the line being logged now: none outside a context. */
export function taskLogFields(): LogContext {
  return storage.getStore() ?? {};
}
