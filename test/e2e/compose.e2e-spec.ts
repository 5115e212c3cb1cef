import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// CI has no Docker engine; Debian's docker-compose still validates and normalises the file.
describe('docker-compose.yml', () => {
  const compose = (...args: string[]) =>
    execFileSync('docker-compose', ['-f', 'docker-compose.yml', ...args], {
      env: { ...process.env, PVEFLEET_MASTER_KEY: Buffer.alloc(32, 1).toString('base64') },
      encoding: 'utf8',
    });

  it('passes `docker-compose config`', () => {
    expect(() => compose('config', '-q')).not.toThrow();
  });

  it('has postgres, redis, api, worker and simulator services', () => {
    expect(compose('config', '--services').split('\n')).toEqual(
      expect.arrayContaining(['postgres', 'redis', 'api', 'worker', 'simulator']),
    );
  });
});
