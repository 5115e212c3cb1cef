import { createHash } from 'node:crypto';

/** OpenSSH's fingerprint form, exactly as `ssh-keygen -lf` prints it: `SHA256:<unpadded base64>`. */
export function hostKeyFingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named at the start of an SSH public-key blob (RFC 4253 §6.6), e.g. `ssh-ed25519`. */
export function hostKeyAlgorithm(keyBlob: Buffer): string | undefined {
  if (keyBlob.length < 4) return undefined;
  const len = keyBlob.readUInt32BE(0);
  if (len === 0 || len > 64 || keyBlob.length < 4 + len) return undefined;
  return keyBlob.subarray(4, 4 + len).toString('latin1');
}

export const FINGERPRINT_PATTERN = /^SHA256:[A-Za-z0-9+/]{43}$/;
