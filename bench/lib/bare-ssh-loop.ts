// The floor the fan-out benchmark compares against: a plain ssh2 client in this process, one new
// connection and one exec per host, `parallel` at a time. No database, no queue, no log: what the
// hardware and the SSH library allow with the same security (key auth, pinned host keys).
import { createHash, createPrivateKey, sign as cryptoSign } from 'node:crypto';
import { connect as tcpConnect } from 'node:net';
import { Client, utils, type AuthMethod, type ParsedKey, type PublicKeyAuthMethod } from 'ssh2';

export interface BareTarget {
  host: string;
  port: number;
  hostKeyFingerprint: string;
}

export interface BareLoopOptions {
  targets: BareTarget[];
  user: string;
  privateKey: string;
  command: string;
  parallel: number;
  timeoutMs?: number;
  /**
   * An experiment, not the floor: parse the key once and sign with a cached KeyObject. ssh2 keeps the
   * key as PEM text and hands it to crypto.sign() on every login, which decodes it again each time
   * (OpenSSL 3's decoder costs ~0.5 ms; the signature itself ~0.05 ms).
   */
  cachedKey?: boolean;
}

export interface BareLoopResult {
  ok: number;
  errors: string[];
  wallS: number;
  /** CPU of this process during the loop (user + system). */
  cpuS: number;
}

const fingerprint = (blob: Buffer) => `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;

/** The client key parsed once, signing with a KeyObject made once (ed25519: no hash algorithm). */
function keyWithCachedSigner(privateKey: string): ParsedKey {
  const parsed = utils.parseKey(privateKey);
  if (parsed instanceof Error || Array.isArray(parsed)) throw new Error('cannot parse the client key');
  const keyObject = createPrivateKey(parsed.getPrivatePEM());
  // ssh2 reports a signing failure by returning the Error (its typings say Buffer only).
  parsed.sign = ((data: Buffer, algo?: string) => {
    try {
      return cryptoSign(algo ?? null, data, keyObject);
    } catch (err) {
      return err as Error;
    }
  }) as ParsedKey['sign'];
  return parsed;
}

/** Connects (Nagle off from the first byte, host key pinned), runs `command`, resolves with its exit code. */
function execOnce(t: BareTarget, o: BareLoopOptions, key?: ParsedKey): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    const fail = (err: Error) => {
      client.end();
      reject(err);
    };
    client.once('error', fail);
    client.once('ready', () => {
      client.exec(o.command, (err, ch) => {
        if (err) {
          fail(err);
          return;
        }
        let code: number | null = null;
        ch.on('data', () => {});
        ch.stderr.on('data', () => {});
        ch.on('exit', (c: number | null) => (code = c));
        ch.on('close', () => {
          client.end();
          resolve(code);
        });
      });
    });
    client.connect({
      sock: tcpConnect({ host: t.host, port: t.port, noDelay: true }),
      username: o.user,
      ...(key
        ? { authHandler: [{ type: 'publickey', username: o.user, key } satisfies PublicKeyAuthMethod as AuthMethod] }
        : { privateKey: o.privateKey }),
      readyTimeout: o.timeoutMs ?? 30_000,
      algorithms: { serverHostKey: ['ssh-ed25519'] },
      hostVerifier: (key: Buffer) => fingerprint(key) === t.hostKeyFingerprint,
    });
  });
}

export async function bareSshLoop(o: BareLoopOptions): Promise<BareLoopResult> {
  const queue = [...o.targets];
  const errors: string[] = [];
  let ok = 0;
  const key = o.cachedKey ? keyWithCachedSigner(o.privateKey) : undefined;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(o.parallel, queue.length) }, async () => {
      for (let t = queue.shift(); t; t = queue.shift()) {
        try {
          const code = await execOnce(t, o, key);
          if (code === 0) ok++;
          else errors.push(`${t.host}:${t.port} exit ${code}`);
        } catch (err) {
          errors.push(`${t.host}:${t.port} ${(err as Error).message}`);
        }
      }
    }),
  );
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { ok, errors, wallS, cpuS: (cpu.user + cpu.system) / 1e6 };
}
