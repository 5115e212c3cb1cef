import { describe, expect, it } from 'vitest';
import { smtpErrorClass } from './email-sender';

describe('SMTP failures are classified where they happen', () => {
  it('5yz replies are permanent (503 aside), 4yz transient', () => {
    expect(smtpErrorClass({ code: 'EENVELOPE', responseCode: 550 })).toBe('permanent');
    expect(smtpErrorClass({ code: 'EPROTOCOL', responseCode: 503 })).toBe('retryable');
    expect(smtpErrorClass({ code: 'EENVELOPE', responseCode: 451 })).toBe('retryable');
  });

  it('refused credentials are auth; no answer is a timeout; a lost connection may work later', () => {
    expect(smtpErrorClass({ code: 'EAUTH', responseCode: 535 })).toBe('auth');
    expect(smtpErrorClass({ code: 'ETIMEDOUT' })).toBe('timeout');
    expect(smtpErrorClass({ code: 'ECONNECTION' })).toBe('retryable');
    expect(smtpErrorClass({ code: 'ESOCKET' })).toBe('retryable');
  });

  it('anything else (a bad configuration) is permanent', () => {
    expect(smtpErrorClass({ code: 'ECONFIG' })).toBe('permanent');
    expect(smtpErrorClass(new Error('x'))).toBe('permanent');
  });
});
