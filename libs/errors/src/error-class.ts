/**
 * Why something failed, decided once where it failed. Everything that reacts to a failure (the
 * rollout orchestrator, the reaper, retries, later alerts) reads this class, never message text.
 */
export const ERROR_CLASSES = [
  /** Will fail the same way again: bad input, a refused precondition, a command that exited non-zero. */
  'permanent',
  /** May work if tried again: a node unreachable, a connection reset, Postgres or Redis away. */
  'retryable',
  /** Cut off from outside before it could finish: its worker died or was stopped. */
  'interrupted',
  /** Stopped on purpose by a user or a rollout abort. */
  'cancelled',
  /** Ran out of its allowed time (a command, a wait for a node or a guest). */
  'timeout',
  /** The node presented a host key other than the pinned one: never retried until an admin acts. */
  'host-key',
  /** The node refused our credentials. */
  'auth',
] as const;

export type ErrorClass = (typeof ERROR_CLASSES)[number];

export function isErrorClass(value: unknown): value is ErrorClass {
  return typeof value === 'string' && (ERROR_CLASSES as readonly string[]).includes(value);
}
