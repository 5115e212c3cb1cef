import { errorClassOf } from '@pvefleet/errors';
import { describe, expect, it } from 'vitest';
import { HostKeyMismatchError, SshAuthError, SshConnectError, SshConnectionLostError } from './ssh-errors';

describe('SSH errors', () => {
  it('carry their class, read by errorClassOf', () => {
    expect(errorClassOf(new HostKeyMismatchError('root@n:22', 'SHA256:a', 'SHA256:b'))).toBe('host-key');
    expect(errorClassOf(new SshAuthError('root@n:22', 'refused'))).toBe('auth');
    expect(errorClassOf(new SshConnectError('root@n:22', 'connection refused'))).toBe('retryable');
    expect(errorClassOf(new SshConnectError('root@n:22', 'timed out after 5 ms', 'timeout'))).toBe('timeout');
    expect(errorClassOf(new SshConnectionLostError('connection to n is closed'))).toBe('retryable');
  });

  it('are permanent only for a host key or credentials', () => {
    expect(new HostKeyMismatchError('t', 'a', 'b').permanent).toBe(true);
    expect(new SshAuthError('t', 'x').permanent).toBe(true);
    expect(new SshConnectError('t', 'x', 'timeout').permanent).toBe(false);
    expect(new SshConnectionLostError('x').permanent).toBe(false);
  });
});
