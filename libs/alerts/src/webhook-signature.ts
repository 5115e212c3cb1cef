import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Pvefleet-Signature';
export const TIMESTAMP_HEADER = 'X-Pvefleet-Timestamp';

/**
 * `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`, keyed with the channel's secret. The timestamp
 * (Unix seconds, also sent in X-Pvefleet-Timestamp) is signed with the body so a receiver can refuse
 * an old delivery replayed (README "Alerts" shows how to verify).
 */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does: recompute and compare in constant time. */
export function verifyWebhook(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
