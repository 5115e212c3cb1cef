import { connect as tcpConnect, type Socket } from 'node:net';
import { NodeSSH, type Config } from 'node-ssh';
import type { PublicKeyAuthMethod } from 'ssh2';
import { coalesceWrites } from './coalesce-writes';
import { hostKeyAlgorithm, hostKeyFingerprint } from './host-key';
import { signingKey } from './key-signer';
import { HostKeyMismatchError, SshAuthError, SshConnectError } from './ssh-errors';
import { SshSession, type HostKeySeen } from './ssh-session';

export interface SshTarget {
  host: string;
  port: number;
  username: string;
  password?: string;
  privateKey?: string;
  passphrase?: string;
  /** The pinned host key. Unset means trust on first use: the caller records what `session.hostKey` saw. */
  pinnedFingerprint?: string | null;
  pinnedAlgorithm?: string | null;
  connectTimeoutMs: number;
}

export function describeTarget(t: Pick<SshTarget, 'username' | 'host' | 'port'>): string {
  return `${t.username}@${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}`;
}

/** Opens a TCP socket with Nagle off from the first byte (else every exec waits ~40 ms on delayed ACKs). */
function openSocket(host: string, port: number, timeoutMs: number, label: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = tcpConnect({ host, port, noDelay: true });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new SshConnectError(label, `timed out after ${timeoutMs} ms`, 'timeout'));
    }, timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      coalesceWrites(sock);
      resolve(sock);
    });
    sock.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new SshConnectError(label, err.code === 'ECONNREFUSED' ? 'connection refused' : err.message, 'retryable', { cause: err }));
    });
  });
}

/**
 * Connects and authenticates, verifying the host key during the handshake, before any credential is
 * sent: a server that presents another key than the pinned one gets nothing and runs nothing.
 */
export async function connectSsh(target: SshTarget): Promise<SshSession> {
  const label = describeTarget(target);
  const started = Date.now();
  const sock = await openSocket(target.host, target.port, target.connectTimeoutMs, label);
  let seen: HostKeySeen | undefined;
  let mismatch: HostKeyMismatchError | undefined;
  const ssh = new NodeSSH();
  try {
    await ssh.connect({
      sock,
      host: target.host,
      port: target.port,
      username: target.username,
      ...(target.privateKey
        ? {
            // node-ssh types authHandler against its own copy of ssh2's typings.
            authHandler: [
              {
                type: 'publickey',
                username: target.username,
                key: signingKey(target.privateKey, target.passphrase),
              } satisfies PublicKeyAuthMethod,
            ] as unknown as Config['authHandler'],
          }
        : { password: target.password }),
      readyTimeout: Math.max(1_000, target.connectTimeoutMs - (Date.now() - started)),
      keepaliveInterval: 15_000,
      keepaliveCountMax: 4,
      ...(target.pinnedAlgorithm ? { algorithms: { serverHostKey: [target.pinnedAlgorithm as 'ssh-ed25519'] } } : {}),
      hostVerifier: (key: Buffer) => {
        seen = { fingerprint: hostKeyFingerprint(key), algorithm: hostKeyAlgorithm(key) };
        if (target.pinnedFingerprint && seen.fingerprint !== target.pinnedFingerprint) {
          mismatch = new HostKeyMismatchError(label, target.pinnedFingerprint, seen.fingerprint);
          return false;
        }
        return true;
      },
    });
  } catch (err) {
    sock.destroy();
    if (mismatch) throw mismatch;
    const e = err as Error & { level?: string };
    if (e.level === 'client-authentication') {
      throw new SshAuthError(label, 'the server refused the password or key (All configured authentication methods failed)');
    }
    if (/Timed out while waiting for handshake|No response from server/.test(e.message)) {
      throw new SshConnectError(label, `no SSH handshake within ${target.connectTimeoutMs} ms`, 'timeout', { cause: err });
    }
    if (/Host denied/.test(e.message) && target.pinnedAlgorithm) {
      throw new SshConnectError(label, `the server offers no ${target.pinnedAlgorithm} host key (pinned algorithm)`, 'retryable', {
        cause: err,
      });
    }
    throw new SshConnectError(label, e.message, 'retryable', { cause: err });
  }
  // node-ssh sets `connection` on ready, and ssh2 asks hostVerifier before that: both are there now.
  if (!ssh.connection || !seen) throw new Error(`${label}: connected without a connection or a host key`);
  return new SshSession(ssh.connection, label, seen);
}
