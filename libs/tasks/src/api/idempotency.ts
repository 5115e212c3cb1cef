import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import { ConflictError } from '@pvefleet/db';

/** A client's Idempotency-Key for one request, with a digest of what the request asked for. */
export interface IdempotencyClaim {
  user: string;
  key: string;
  requestHash: string;
}

/** The digest of a request: the route it went to and its body, so a key reused for another request is told apart. */
export function requestHash(route: string, body: unknown): string {
  return createHash('sha256')
    .update(route)
    .update('\n')
    .update(JSON.stringify(body ?? null))
    .digest('hex');
}

/**
 * Idempotency keys, claimed inside the transaction that creates the work: the key row and the
 * work commit together or not at all. A second request with the same key waits on the first's row
 * (its primary key) until that commits, then gets the stored answer.
 */
export const IdempotencyKeys = {
  /** Claims the key; returns the stored answer when the key was used before (for the same request). */
  async claim<T>(client: PoolClient, claim: IdempotencyClaim): Promise<T | undefined> {
    const { rowCount } = await client.query(
      `INSERT INTO idempotency_key ("user", key, request_hash, response) VALUES ($1, $2, $3, 'null') ON CONFLICT DO NOTHING`,
      [claim.user, claim.key, claim.requestHash],
    );
    if (rowCount === 1) return undefined;
    const { rows } = await client.query<{ request_hash: string; response: T }>(
      `SELECT request_hash, response FROM idempotency_key WHERE "user" = $1 AND key = $2`,
      [claim.user, claim.key],
    );
    if (rows[0].request_hash !== claim.requestHash) {
      throw new ConflictError(`Idempotency-Key '${claim.key}' was already used for a different request`);
    }
    return rows[0].response;
  },

  async record(client: PoolClient, claim: IdempotencyClaim, response: unknown): Promise<void> {
    await client.query(`UPDATE idempotency_key SET response = $3 WHERE "user" = $1 AND key = $2`, [
      claim.user,
      claim.key,
      JSON.stringify(response),
    ]);
  },
};
