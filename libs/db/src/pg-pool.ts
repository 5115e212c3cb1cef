import { Pool } from 'pg';

/** The process's one Postgres pool, shared by Prisma (CRUD) and the hand-written SQL of hot paths. */
export class PgPool extends Pool {}

export function createPgPool(connectionString: string, max: number): PgPool {
  const pool = new PgPool({ connectionString, max, application_name: 'pvefleet' });
  // An idle client that errors (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return pool;
}
