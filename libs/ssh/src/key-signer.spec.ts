import { describe, expect, it } from 'vitest';
import { utils } from 'ssh2';
import { signingKey } from './key-signer';

const ed25519 = () => {
  for (;;) {
    const k = utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(k.private) instanceof Error)) return k;
  }
};

describe('signingKey', () => {
  it('signs what the public key verifies, for ed25519 and RSA', () => {
    for (const pair of [ed25519(), utils.generateKeyPairSync('rsa', { bits: 2048 })]) {
      const key = signingKey(pair.private);
      const data = Buffer.from('session data');
      const sig = key.sign(data);
      const pub = utils.parseKey(pair.public) as ReturnType<typeof signingKey>;
      expect(key.verify(data, sig)).toBe(true);
      expect(pub.verify(data, sig)).toBe(true);
    }
  });

  it('parses each key once', () => {
    const pair = ed25519();
    expect(signingKey(pair.private)).toBe(signingKey(pair.private));
  });

  it('refuses a key that is not one', () => {
    expect(() => signingKey('not a key')).toThrow();
  });
});
