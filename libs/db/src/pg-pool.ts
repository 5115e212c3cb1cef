import { Logger } from '@nestjs/common';
import { Pool } from 'pg';

/** A Postgres restart drops every idle client at once: one line per this interval says so. */
const IDLE_ERROR_LOG_EVERY_MS = 10_000;

/** The process's one Postgres pool, shared by Prisma (CRUD) and the hand-written SQL of hot paths. */
export class PgPool extends Pool {}

export function createPgPool(connectionString: string, max: number): PgPool {
  const pool = new PgPool({
    connectionString,
    max,
    application_name: 'pvefleet',
    // No call waits on Postgres for ever: a connection within 10 s, a statement within 60 s.
    connectionTimeoutMillis: 10_000,
    statement_timeout: 60_000,
  });
  // An idle client that errors (server restart) must not crash the process; the next query reconnects.
  const logger = new Logger('Postgres');
  let loggedAt = 0;
  const report = (err: Error): void => {
    if (Date.now() - loggedAt < IDLE_ERROR_LOG_EVERY_MS) return;
    loggedAt = Date.now();
    logger.warn(`a connection failed (${err.message}); the next query opens a new one`);
  };
  pool.on('error', report);
  // pg-pool listens for errors only on idle clients (and `pool.query` on its own client), but Kysely
  // checks a client out and holds it across statements: a server shutdown arriving between two of them
  // is an 'error' event with no listener, which kills the process. Every client gets one for good; the
  // failed client is not queryable any more, so the pool drops it when it is released.
  pool.on('connect', (client) => {
    client.on('error', report);
  });
  return pool;
}
