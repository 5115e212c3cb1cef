import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from './webhook-signature';

describe('webhook signature', () => {
  const secret = 'a-webhook-secret-of-32-characters';
  const body = JSON.stringify({ event: 'alert', alert: { title: 'pve1: certificate renewal failed' } });

  it('is sha256=<hex HMAC-SHA256 of "timestamp.body">, as a receiver recomputes it with any HMAC library', () => {
    const expected = createHmac('sha256', secret).update(`1767225600.${body}`).digest('hex');
    expect(signWebhook(secret, '1767225600', body)).toBe(`sha256=${expected}`);
  });

  it('verifies its own signature and refuses another body, timestamp or secret', () => {
    const sig = signWebhook(secret, '1767225600', body);
    expect(verifyWebhook(secret, '1767225600', body, sig)).toBe(true);
    expect(verifyWebhook(secret, '1767225600', `${body} `, sig)).toBe(false);
    expect(verifyWebhook(secret, '1767225601', body, sig)).toBe(false);
    expect(verifyWebhook(`${secret}x`, '1767225600', body, sig)).toBe(false);
    expect(verifyWebhook(secret, '1767225600', body, 'sha256=00')).toBe(false);
  });
});
