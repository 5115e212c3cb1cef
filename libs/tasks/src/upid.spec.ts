import { describe, expect, it } from 'vitest';
import { UPID_PATTERN, encodeUpid, parseUpid } from './upid';

// Test vectors from pve-common test/upid-test.pl.
const VECTOR = 'UPID:example-node:0000C346:165A0CE4:68D7279C:aptupdate::root@pam:';

describe('UPID', () => {
  it('decodes Proxmox test vector', () => {
    expect(parseUpid(VECTOR)).toEqual({
      node: 'example-node',
      pid: 49990,
      pstart: 375000292,
      starttime: 1758930844,
      type: 'aptupdate',
      id: '',
      user: 'root@pam',
    });
  });

  it('encodes back to the exact same string', () => {
    expect(encodeUpid(parseUpid(VECTOR)!)).toBe(VECTOR);
  });

  it('round-trips an API-token user and an object id', () => {
    const upid = 'UPID:example-node:000934AF:0D015579:68BF3A41:vzdump:100:91a1da29-1234@pam!some-token:';
    expect(encodeUpid(parseUpid(upid)!)).toBe(upid);
    expect(parseUpid(upid)?.user).toBe('91a1da29-1234@pam!some-token');
  });

  it('writes uppercase, zero-padded hex and a trailing colon', () => {
    const upid = encodeUpid({ node: 'pve1', pid: 10, pstart: 255, starttime: 1, type: 'zfscreate', id: 'tank', user: 'admin@pvefleet!ci' });
    expect(upid).toBe('UPID:pve1:0000000A:000000FF:00000001:zfscreate:tank:admin@pvefleet!ci:');
    expect(UPID_PATTERN.test(upid)).toBe(true);
  });

  it('accepts a 9-digit pstart (after ~497 days of uptime)', () => {
    expect(parseUpid('UPID:n1:00000001:1165A0CE4:68D7279C:facts::root@pam:')?.pstart).toBe(0x1165a0ce4);
  });

  it.each([
    'UPID:-bad:0000C346:165A0CE4:68D7279C:aptupdate::root@pam:',
    'UPID:node.example:0000C346:165A0CE4:68D7279C:aptupdate::root@pam:',
    'UPID:node:C346:165A0CE4:68D7279C:aptupdate::root@pam:',
    'UPID:node:0000C346:165A0CE4:68D7279C:apt update::root@pam:',
    'UPID:node:0000C346:165A0CE4:68D7279C:aptupdate::root@pam',
    'UPID:node:0000C346:165A0CE4:68D7279C:aptupdate:a/b:root@pam:',
  ])('rejects malformed %s', (bad) => {
    expect(parseUpid(bad)).toBeUndefined();
  });

  it('refuses to encode fields that would break the format', () => {
    expect(() => encodeUpid({ node: 'n', pid: 1, pstart: 1, starttime: 1, type: 'a b', id: '', user: 'u@r' })).toThrow();
    expect(() => encodeUpid({ node: 'n', pid: 1, pstart: 1, starttime: 1, type: 't', id: 'x:y', user: 'u@r' })).toThrow();
    expect(() => encodeUpid({ node: 'a.b', pid: 1, pstart: 1, starttime: 1, type: 't', id: '', user: 'u@r' })).toThrow();
  });
});
