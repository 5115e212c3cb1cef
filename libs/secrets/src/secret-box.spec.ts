import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, decodeMasterKey, loadMasterKey } from '@pvefleet/config';
import { SecretBox } from '@pvefleet/secrets';

describe('SecretBox (AES-256-GCM)', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips and never stores the plaintext', () => {
    const sealed = box.seal('hunter2-password', 'pve1');
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('hunter2');
    expect(box.open(sealed, 'pve1')).toBe('hunter2-password');
  });

  it('uses a fresh IV each time', () => {
    expect(box.seal('same', 'pve1')).not.toBe(box.seal('same', 'pve1'));
  });

  it('refuses a tampered ciphertext, a wrong context and a wrong key', () => {
    const sealed = box.seal('secret', 'pve1');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3], 'base64url');
    body[0] ^= 1;
    expect(() => box.open([...parts.slice(0, 3), body.toString('base64url')].join('.'), 'pve1')).toThrow();
    expect(() => box.open(sealed, 'pve2')).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'pve1')).toThrow();
  });
});

describe('master key', () => {
  it('accepts hex and base64 of 32 bytes', () => {
    const key = randomBytes(32);
    expect(decodeMasterKey(key.toString('hex'), 'X')).toEqual(key);
    expect(decodeMasterKey(key.toString('base64'), 'X')).toEqual(key);
  });

  it('names the variable when the key is the wrong size', () => {
    expect(() => loadMasterKey({ value: 'dG9vIHNob3J0' })).toThrow(/^PVEFLEET_MASTER_KEY must hold 32 bytes/);
    expect(() => loadMasterKey({ file: '/nonexistent/key' })).toThrow(ConfigError);
  });

  it('reads a key file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pvefleet-key-'));
    const key = randomBytes(32);
    writeFileSync(join(dir, 'key'), `${key.toString('base64')}\n`);
    expect(loadMasterKey({ file: join(dir, 'key') })).toEqual(key);
    rmSync(dir, { recursive: true, force: true });
  });
});
