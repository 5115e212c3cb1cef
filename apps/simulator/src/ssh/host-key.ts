import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { utils } from 'ssh2';
import type { Rng } from '../util/rng';

export interface HostKey {
  /** OpenSSH private key text, as ssh2's Server takes it. */
  privateKey: string;
  /** `ssh-ed25519 AAAA…` line. */
  publicKey: string;
  /** `SHA256:…` exactly as `ssh-keygen -lf` prints it. */
  fingerprint: string;
}

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

const sshString = (b: Buffer | string): Buffer => {
  const data = typeof b === 'string' ? Buffer.from(b) : b;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  return Buffer.concat([len, data]);
};

/**
 * An ed25519 host key derived from the seeded generator, written in the
 * OpenSSH format. Deterministic keys keep fingerprints stable across runs
 * with the same seed. Like the ssh2 keygen workaround in the stack notes, a
 * key is only accepted once `utils.parseKey` reads it back without error.
 */
export function makeHostKey(rng: Rng, comment: string): HostKey {
  for (let attempt = 0; attempt < 16; attempt++) {
    const key = encode(rng.bytes(32), comment, rng.bytes(4));
    if (!(utils.parseKey(key.privateKey) instanceof Error)) return key;
  }
  throw new Error('could not generate a parseable ed25519 host key');
}

function encode(seed: Buffer, comment: string, check: Buffer): HostKey {
  const priv = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const pub = createPublicKey(priv).export({ format: 'der', type: 'spki' }).subarray(-32);
  const blob = Buffer.concat([sshString('ssh-ed25519'), sshString(pub)]);
  let section = Buffer.concat([
    check,
    check,
    sshString('ssh-ed25519'),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment),
  ]);
  const pad = (8 - (section.length % 8)) % 8;
  section = Buffer.concat([section, Buffer.from(Array.from({ length: pad }, (_, i) => i + 1))]);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    Buffer.from([0, 0, 0, 1]),
    sshString(blob),
    sshString(section),
  ]);
  const b64 = body
    .toString('base64')
    .match(/.{1,70}/g)
    ?.join('\n');
  return {
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${b64}\n-----END OPENSSH PRIVATE KEY-----\n`,
    publicKey: `ssh-ed25519 ${blob.toString('base64')} ${comment}`,
    fingerprint: fingerprintOf(blob),
  };
}

export function fingerprintOf(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}
