/** How many times a delivery is tried before it is marked failed. */
export const DELIVERY_ATTEMPTS = 10;
/** The first retry's delay; each next one doubles (5 s, 10 s, … about 21 min before the tenth try; 42 min in all). */
export const RETRY_BASE_MS = 5_000;

/**
 * The delay before try number `attemptsMade + 1`, after `attemptsMade` failed tries (1-based):
 * exponential, as BullMQ's own, so the `next_attempt_at` shown is the time BullMQ will use.
 */
export function retryDelayMs(attemptsMade: number, baseMs = RETRY_BASE_MS): number {
  if (!Number.isInteger(attemptsMade) || attemptsMade < 1)
    throw new RangeError(`attemptsMade must be a positive integer, got ${attemptsMade}`);
  return baseMs * 2 ** (attemptsMade - 1);
}
