import type { ErrorClass } from '@pvefleet/errors';

/**
 * Transport failures, each with a message an admin can act on and the class everything downstream
 * decides by (`errorClassOf`). `permanent` ones must not be retried: retrying a host-key mismatch or a
 * refused login only repeats the failure (or worse, hides an attack).
 */
export abstract class SshError extends Error {
  override readonly name: string = 'SshError';
  abstract readonly errorClass: ErrorClass;

  /** Trying again cannot help: the node's key or our credentials must change first. */
  get permanent(): boolean {
    return this.errorClass === 'host-key' || this.errorClass === 'auth';
  }
}

export class HostKeyMismatchError extends SshError {
  override readonly name = 'HostKeyMismatchError';
  readonly errorClass = 'host-key';
  constructor(
    readonly target: string,
    readonly expected: string,
    readonly got: string,
  ) {
    super(`host key mismatch for ${target}: expected ${expected}, got ${got} - refusing to connect`);
  }
}

export class SshAuthError extends SshError {
  override readonly name = 'SshAuthError';
  readonly errorClass = 'auth';
  constructor(target: string, detail: string) {
    super(`authentication failed for ${target}: ${detail}`);
  }
}

/** The node could not be reached: refused or reset ('retryable'), or no answer in time ('timeout'). */
export class SshConnectError extends SshError {
  override readonly name = 'SshConnectError';
  constructor(
    target: string,
    detail: string,
    readonly errorClass: 'retryable' | 'timeout' = 'retryable',
    options?: { cause?: unknown },
  ) {
    super(`cannot connect to ${target}: ${detail}`, options);
  }
}

/** The connection went away while a command ran (node rebooted, network dropped): worth another try. */
export class SshConnectionLostError extends SshError {
  override readonly name = 'SshConnectionLostError';
  readonly errorClass = 'retryable';
}
