/**
 * Transport failures, each with a message an admin can act on. `permanent` ones must not be retried:
 * retrying a host-key mismatch or a refused login only repeats the failure (or worse, hides an attack).
 */
export class SshError extends Error {
  override readonly name: string = 'SshError';
  readonly permanent: boolean = false;
}

export class HostKeyMismatchError extends SshError {
  override readonly name = 'HostKeyMismatchError';
  override readonly permanent = true;
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
  override readonly permanent = true;
  constructor(target: string, detail: string) {
    super(`authentication failed for ${target}: ${detail}`);
  }
}

export class SshConnectError extends SshError {
  override readonly name = 'SshConnectError';
  constructor(target: string, detail: string) {
    super(`cannot connect to ${target}: ${detail}`);
  }
}

/** The connection went away while a command ran (node rebooted, network dropped). */
export class SshConnectionLostError extends SshError {
  override readonly name = 'SshConnectionLostError';
}
