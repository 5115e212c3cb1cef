import { createHash } from 'node:crypto';

export type { IdempotencyClaim } from '../persistence/task.repository';

/** The digest of a request: the route it went to and its body, so a key reused for another request is told apart. */
export function requestHash(route: string, body: unknown): string {
  return createHash('sha256')
    .update(route)
    .update('\n')
    .update(JSON.stringify(body ?? null))
    .digest('hex');
}
