/**
 * How a failed database call is to be taken, decided once here from what the driver reports
 * (SQLSTATE, Prisma's error code, the socket's error code), never from message text:
 * - `unavailable`: Postgres is away or overloaded (connection refused or lost, shutting down, too
 *   many connections, a serialization conflict, a statement past its timeout): the same call may
 *   well succeed later;
 * - `rejected`: Postgres answered and refused this statement (a constraint, a missing row, bad
 *   input), or the call never got that far because of a bug: repeating it cannot help;
 * - `unknown`: the driver gave no code (pg's "connection terminated" and pool timeouts look like
 *   this); a caller that only ever talks to the database may treat it as `unavailable`.
 */
export type DbFailure = 'unavailable' | 'rejected' | 'unknown';

const UNAVAILABLE_SQLSTATE = /^(08|53|57P0)|^(40001|40P01|57014)$/;
const UNAVAILABLE_SOCKET = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** Prisma's codes for an unreachable or timed-out server, a closed connection, a pool timeout, a write conflict. */
const UNAVAILABLE_PRISMA = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2034']);
/** What @prisma/adapter-pg reports as the cause when the server cannot be used. */
const UNAVAILABLE_ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TransactionWriteConflict',
]);

interface DriverErrorShape {
  code?: unknown;
  meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown } } };
}

export function classifyDbFailure(err: unknown): DbFailure {
  if (err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError) return 'rejected';
  const e = (err ?? {}) as DriverErrorShape;
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code && /^P\d{4}$/.test(code)) {
    const cause = e.meta?.driverAdapterError?.cause;
    if (UNAVAILABLE_PRISMA.has(code) || UNAVAILABLE_ADAPTER_KINDS.has(String(cause?.kind))) return 'unavailable';
    if (typeof cause?.originalCode === 'string') return fromSqlState(cause.originalCode);
    return 'rejected';
  }
  if (code && /^[0-9A-Z]{5}$/.test(code)) return fromSqlState(code);
  if (code && UNAVAILABLE_SOCKET.has(code)) return 'unavailable';
  return 'unknown';
}

const fromSqlState = (state: string): DbFailure => (UNAVAILABLE_SQLSTATE.test(state) ? 'unavailable' : 'rejected');
