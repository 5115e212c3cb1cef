import { createPgPool } from '@pvefleet/db';
import { afterAll, describe, expect, inject, it } from 'vitest';

/**
 * A client checked out of the pool and held between statements (as Kysely does for a transaction)
 * whose server connection is terminated must not raise an 'error' event nobody listens to: that
 * kills the whole process, as a Postgres restart did to the API.
 */
describe('the Postgres pool when a held connection is terminated', () => {
  const pool = createPgPool(inject('databaseUrl'), 2);
  afterAll(() => pool.end());

  it('keeps the process alive, and the pool answers afterwards', async () => {
    const held = await pool.connect();
    const { rows } = await held.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    // pg-pool itself listens only on idle clients: without a listener of its own, the 'error' below
    // would be thrown at the top level (vitest reports it and fails the run).
    expect(held.listenerCount('error')).toBeGreaterThan(0);
    const killer = await pool.connect();
    await killer.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
    killer.release();
    await new Promise((resolve) => held.once('end', resolve));
    held.release(true);
    const after = await pool.query<{ one: number }>('SELECT 1 AS one');
    expect(after.rows[0].one).toBe(1);
  });
});
