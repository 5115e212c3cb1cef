import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line of one task's work carries, so a task's lines can be found in any log store. */
export interface TaskLogContext {
  upid: string;
  node: string;
  rolloutId?: string | null;
}

const storage = new AsyncLocalStorage<TaskLogContext>();

/** Runs `fn` so that every line logged inside it (awaits and callbacks included) carries the task's fields. */
export function withTaskLogContext<T>(context: TaskLogContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The fields for the line being logged now: none outside a task. */
export function taskLogFields(): Partial<TaskLogContext> {
  const context = storage.getStore();
  if (!context) return {};
  return context.rolloutId
    ? { upid: context.upid, node: context.node, rolloutId: context.rolloutId }
    : { upid: context.upid, node: context.node };
}
