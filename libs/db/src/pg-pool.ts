import { Pool } from 'pg';

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
  pool.on('error', () => {});
  return pool;
}
