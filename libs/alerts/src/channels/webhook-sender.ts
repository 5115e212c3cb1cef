import { errorMessage } from '@pvefleet/errors';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook } from '../webhook-signature';
import type { AlertPayload } from './alert-payload';
import { DeliveryFailure } from './delivery-failure';

const TIMEOUT_MS = 10_000;

/**
 * POSTs the payload as JSON, signed (webhook-signature.ts). 2xx delivers; 408, 429 and 5xx may pass
 * later (retryable), any other status will not (permanent: a wrong URL or a receiver refusing the
 * signature); no answer in time is a timeout, a refused or reset connection retryable.
 * Redirects are not followed: a signed body goes only where it was configured to go.
 */
export async function sendWebhook(url: string, secret: string, payload: AlertPayload, now: Date): Promise<{ httpStatus: number }> {
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(now.getTime() / 1000));
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'pvefleet-alerts',
        [TIMESTAMP_HEADER]: timestamp,
        [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
      },
      body,
    });
    // Read the answer (a receiver's reason is not used) so the connection is freed; cut off here is a network error too.
    await res.arrayBuffer();
  } catch (err) {
    const timedOut = err instanceof DOMException && err.name === 'TimeoutError';
    throw new DeliveryFailure(
      timedOut ? 'timeout' : 'retryable',
      timedOut ? `no answer within ${TIMEOUT_MS / 1000} s` : describeFetchError(err),
      null,
      {
        cause: err,
      },
    );
  }
  if (res.ok) return { httpStatus: res.status };
  const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
  throw new DeliveryFailure(retryable ? 'retryable' : 'permanent', `HTTP ${res.status} ${res.statusText}`.trim(), res.status);
}

/** fetch's "fetch failed" hides the reason in its cause (ECONNREFUSED, ENOTFOUND…). */
function describeFetchError(err: unknown): string {
  const cause = err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ? `${cause.code}${cause.message ? `: ${cause.message}` : ''}` : errorMessage(err);
}
