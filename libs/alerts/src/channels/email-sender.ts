import type { ErrorClass } from '@pvefleet/errors';
import { errorMessage } from '@pvefleet/errors';
import { createTransport } from 'nodemailer';
import { emailText, type AlertPayload } from './alert-payload';
import type { ChannelSettings } from './channel-settings';
import { DeliveryFailure } from './delivery-failure';

type EmailSettings = Extract<ChannelSettings, { type: 'email' }>;

const TIMEOUT_MS = 15_000;
/** Connection-level failures: the server may answer next time. */
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EPROTOCOL']);

/** Sends one email over SMTP (a connection per send: alerts are few). */
export async function sendEmail(s: EmailSettings, password: string | null, payload: AlertPayload): Promise<void> {
  const transport = createTransport({
    host: s.host,
    port: s.port,
    secure: s.security === 'tls',
    requireTLS: s.security === 'starttls',
    ignoreTLS: s.security === 'none',
    auth: s.user ? { user: s.user, pass: password ?? '' } : undefined,
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
  });
  try {
    await transport.sendMail({ from: s.from, to: s.to, subject: `[pvefleet] ${payload.alert.title}`, text: emailText(payload) });
  } catch (err) {
    throw new DeliveryFailure(smtpErrorClass(err), `SMTP ${s.host}:${s.port}: ${errorMessage(err)}`, null, { cause: err });
  } finally {
    transport.close();
  }
}

/**
 * RFC 5321: a 5yz reply is a permanent refusal (503, a bad command sequence, excepted), a 4yz one
 * transient. Refused credentials are `auth`; no answer in time is a timeout; a connection that
 * failed may work later.
 */
export function smtpErrorClass(err: unknown): ErrorClass {
  const e = (err ?? {}) as { code?: string; responseCode?: number };
  if (e.code === 'EAUTH' || e.code === 'ENOAUTH') return 'auth';
  if (typeof e.responseCode === 'number') {
    if (e.responseCode >= 500 && e.responseCode < 600 && e.responseCode !== 503) return 'permanent';
    if (e.responseCode >= 400) return 'retryable';
  }
  if (e.code === 'ETIMEDOUT') return 'timeout';
  if (e.code !== undefined && TRANSIENT_CODES.has(e.code)) return 'retryable';
  return 'permanent';
}
