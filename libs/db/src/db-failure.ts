/**
 * How a failed database call is to be taken, decided once here from what the driver reports
 * (SQLSTATE or the socket's error), never from message text:
 * - `unavailable`: Postgres is away or overloaded (connection refused or lost, shutting down, too
 *   many connections, a serialization conflict): the same call may succeed later, so keep the work
 *   and retry;
 * - `rejected`: Postgres answered and refused this statement (a constraint, a missing row, bad
 *   input): retrying the same statement cannot help.
 */
export type DbFailure = 'unavailable' | 'rejected';

const UNAVAILABLE_SQLSTATE = /^(08|53|57P0)|^(40001|40P01)$/;

export function classifyDbFailure(err: unknown): DbFailure {
  const code = (err as { code?: unknown } | null)?.code;
  // A SQLSTATE is five characters; anything else (ECONNREFUSED, a terminated connection, a pool
  // timeout) never reached a server that could refuse the statement.
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return UNAVAILABLE_SQLSTATE.test(code) ? 'unavailable' : 'rejected';
  return 'unavailable';
}
