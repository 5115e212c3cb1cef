import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorBodyOf } from '../support/api-client';
import { Stack } from '../support/stack';

/** A pino JSON line, as far as this file reads it. */
const logLine = z.looseObject({ message: z.unknown() });
import { stopAll } from '../support/teardown';

/** Rate limits per token and per address, security headers, and the media-type and size answers. */
describe('API hardening', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ workers: 0, env: { PVEFLEET_RATE_LIMIT_PER_MIN: '40', PVEFLEET_AUTH_FAILURES_PER_MIN: '10' } });
  });
  afterAll(async () => {
    await stopAll(stack);
  });

  it('answers 429 to an address that keeps sending wrong tokens, whatever token it sends next', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) {
      const res = await stack.http.raw.get('/api/v1/nodes').set('Authorization', `Bearer wrong-token-${i}-xxxxxxxxxxxxxxxx`);
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(5).fill(429));
    const blocked = await stack.http.get('/nodes');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(errorBodyOf(blocked).message).toMatch(/too many failed logins/);
    // Health probes are never limited.
    expect((await stack.http.raw.get('/api/v1/health')).status).toBe(200);
    await stack.killApi();
    await stack.restartApi();
  });

  it('answers 429 with Retry-After past the per-token limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++) statuses.push((await stack.http.get('/nodes')).status);
    expect(statuses.slice(0, 40).every((s) => s === 200)).toBe(true);
    const limited = await stack.http.get('/nodes');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('sends security headers and no X-Powered-By', async () => {
    const res = await stack.http.raw.get('/api/v1/health');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['content-security-policy']).toBeDefined();
  });

  it('logs one JSON object per line with PVEFLEET_LOG_FORMAT=json', async () => {
    const json = await Stack.start({ env: { PVEFLEET_LOG_FORMAT: 'json' } });
    try {
      await json.http.raw.get('/api/v1/nodes').set('Authorization', 'Bearer not-a-valid-token-at-all');
      const lines = json
        .output()
        .split('\n')
        .filter((l) => l.trim() && !l.startsWith('--- '));
      expect(lines.length).toBeGreaterThan(3);
      for (const line of lines) expect((): unknown => JSON.parse(line), line).not.toThrow();
      expect(lines.map((l) => logLine.parse(JSON.parse(l)).message)).toContainEqual(expect.stringContaining('listening on'));
    } finally {
      await json.stop();
    }
  });
});
