import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@pvefleet/config';

const base = {
  DATABASE_URL: 'postgresql://u@127.0.0.1/db',
  REDIS_URL: 'redis://127.0.0.1:6379',
  PVEFLEET_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
};

describe('loadConfig', () => {
  it('applies defaults', () => {
    const c = loadConfig(base);
    expect(c.port).toBe(3000);
    expect(c.redisPrefix).toBe('pvefleet');
  });

  it.each([
    [{ ...base, DATABASE_URL: undefined }, /^DATABASE_URL is required/],
    [{ ...base, DATABASE_URL: 'mysql://x' }, /^DATABASE_URL must be a postgresql/],
    [{ ...base, REDIS_URL: undefined }, /^REDIS_URL is required/],
    [{ ...base, PORT: '70000' }, /^PORT /],
    [{ ...base, PVEFLEET_MASTER_KEY: undefined }, /PVEFLEET_MASTER_KEY or PVEFLEET_MASTER_KEY_FILE is required/],
    [{ ...base, PVEFLEET_ADMIN_TOKEN: 'short' }, /^PVEFLEET_ADMIN_TOKEN must be at least 16/],
  ])('names the variable that is wrong (%#)', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
