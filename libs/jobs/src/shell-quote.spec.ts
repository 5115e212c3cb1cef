import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellQuote } from './shell-quote';

// The real shell is the judge: whatever goes in must come out as one unchanged argument.
const echoBack = (v: string) => execFileSync('/bin/sh', ['-c', `printf '%s' ${shellQuote(v)}`]).toString();

describe('shellQuote', () => {
  it.each([
    'plain',
    'two words',
    "it's",
    '$(touch /tmp/pwned)',
    '`id`',
    'a;b&&c|d',
    'line\nbreak',
    '"double"',
    '../../etc/passwd',
    '*',
    '~root',
    '',
  ])('passes %j through as one literal word', (v) => {
    expect(echoBack(v)).toBe(v);
  });

  it('leaves safe words bare', () => {
    expect(shellQuote('/dev/disk/by-id/ata-X_1')).toBe('/dev/disk/by-id/ata-X_1');
  });
});
