import { createHash, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { utils, type ParsedKey } from 'ssh2';

/** The hash ssh2 would use when the server does not ask for one (RFC 4253/5656/8709). */
function defaultHash(type: string): string | null {
  if (type === 'ssh-ed25519') return null;
  if (type === 'ssh-rsa') return 'sha1';
  if (type.endsWith('nistp384')) return 'sha384';
  if (type.endsWith('nistp521')) return 'sha512';
  return 'sha256';
}

const MAX_KEYS = 4_096;
const keys = new Map<string, ParsedKey>();

/**
 * A private key parsed once and signing through a Node KeyObject. ssh2 keeps keys as PEM text and
 * hands that to OpenSSL at every login, which decodes it again each time (~0.5 ms; ~0.04 ms with a
 * KeyObject): at a thousand new connections that is the worker's biggest single cost. Decrypted
 * keys stay in this process's memory, as they would in ssh-agent, for the cache's lifetime.
 */
export function signingKey(privateKey: string, passphrase?: string): ParsedKey {
  const id = createHash('sha256')
    .update(privateKey)
    .update('\0')
    .update(passphrase ?? '')
    .digest('base64');
  const cached = keys.get(id);
  if (cached) return cached;
  // @types/ssh2 leaves out that an OpenSSH private key file parses to a list of keys.
  const parsed = utils.parseKey(privateKey, passphrase) as ParsedKey | ParsedKey[] | Error;
  if (parsed instanceof Error) throw parsed;
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  const keyObject: KeyObject = createPrivateKey(key.getPrivatePEM());
  const fallback = defaultHash(key.type);
  // ssh2 calls key.sign(data, hashAlgo) and treats a returned Error as a failed signature.
  Object.defineProperty(key, 'sign', {
    value: (data: Buffer, algo?: string): Buffer | Error => {
      try {
        return sign(algo || fallback, data, keyObject);
      } catch (err) {
        return err as Error;
      }
    },
  });
  if (keys.size >= MAX_KEYS) {
    const oldest = keys.keys().next();
    if (!oldest.done) keys.delete(oldest.value);
  }
  keys.set(id, key);
  return key;
}
