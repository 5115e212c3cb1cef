import { connect as netConnect } from 'node:net';
import { Client } from 'ssh2';
import type { NodeInfo } from '../simulator';

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number | null;
  signal?: string;
}

/** A kept-open ssh2 client for tests: password auth, TCP_NODELAY, host key pinned by fingerprint. */
export async function sshConnect(node: NodeInfo, password = 'simulator'): Promise<Client> {
  const client = new Client();
  await new Promise<void>((resolve, reject) => {
    client
      .once('ready', () => {
        resolve();
      })
      .once('error', reject);
    client.connect({
      sock: netConnect({ host: node.host, port: node.port, noDelay: true }),
      username: node.user,
      password,
      hostHash: 'sha256',
      hostVerifier: (hex: string) => 'SHA256:' + Buffer.from(hex, 'hex').toString('base64').replace(/=+$/, '') === node.hostKeyFingerprint,
      readyTimeout: 5000,
    });
  });
  return client;
}

export function sshExec(client: Client, command: string, stdin?: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, stream) => {
      if (err) {
        reject(err);
        return;
      }
      let stdout = '';
      let stderr = '';
      let code: number | null = null;
      let signal: string | undefined;
      stream.on('data', (d: Buffer) => (stdout += d.toString()));
      stream.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      stream.on('exit', (c: number | null, s?: string) => {
        code = c;
        signal = s ?? undefined;
      });
      stream.on('close', () => {
        resolve({ stdout, stderr, code, signal });
      });
      if (stdin !== undefined) stream.end(stdin);
    });
  });
}

/** Connects, runs one command, disconnects. */
export async function sshRun(node: NodeInfo, command: string): Promise<ExecResult> {
  const c = await sshConnect(node);
  try {
    return await sshExec(c, command);
  } finally {
    c.end();
  }
}
