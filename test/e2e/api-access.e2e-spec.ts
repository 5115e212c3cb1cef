import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deployMigrations } from '../../scripts/migrate.mjs';
import { createDatabase, dropDatabase, freePort } from '../../scripts/lib/services.mjs';
import { apiClient, errorBodyOf } from '../support/api-client';
import { Stack } from '../support/stack';
import { eventually } from '../support/tasks';
import { stopAll } from '../support/teardown';

describe('clear answers: wrong tokens, wrong content types, the last token, a revoked bootstrap token', () => {
  let stack: Stack;
  const dbName = `pvefleet_test_access_${process.pid}`;

  beforeAll(async () => {
    // Its own database: revoking the bootstrap token here must not lock out other files' stacks.
    const databaseUrl = await createDatabase(inject('databaseUrl'), dbName);
    await deployMigrations(databaseUrl);
    stack = await Stack.start({ env: { DATABASE_URL: databaseUrl } });
  });
  afterAll(async () => {
    await stopAll(stack);
    await dropDatabase(inject('databaseUrl'), dbName).catch(() => {});
  });

  it('a wrong token is called invalid, a missing header missing', async () => {
    for (const token of [`pvf_${randomBytes(32).toString('base64url')}`, 'short']) {
      const res = await stack.http.raw.get('/api/v1/tasks').set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(401);
      expect(errorBodyOf(res).message).toBe('invalid or expired token');
    }
    const none = await stack.http.raw.get('/api/v1/tasks');
    expect(none.status).toBe(401);
    expect(errorBodyOf(none).message).toBe('missing "Authorization: Bearer <token>" header');
  });

  it('a body that is not JSON gets 415 naming application/json; an empty POST needs no content type', async () => {
    const res = await stack.http.raw
      .post('/api/v1/tasks')
      .set('Authorization', `Bearer ${stack.token}`)
      .set('Content-Type', 'text/plain')
      .send('type=facts');
    expect(res.status).toBe(415);
    const body = errorBodyOf(res);
    expect(body.error).toBe('Unsupported Media Type');
    expect(body.message).toBe('content-type must be application/json (got text/plain)');
    const form = await stack.http.raw.post('/api/v1/tokens').set('Authorization', `Bearer ${stack.token}`).type('form').send({ name: 'x' });
    expect(form.status).toBe(415);
    const empty = await stack.http.raw.post('/api/v1/rollouts/999999/pause').set('Authorization', `Bearer ${stack.token}`);
    expect(empty.status).toBe(404);
  });

  it('refuses to revoke the last token; a revoked bootstrap token stays revoked across a restart', async () => {
    const last = await stack.http.delete('/tokens/bootstrap');
    expect(last.status).toBe(409);
    expect(errorBodyOf(last).message).toMatch(/is the last one/);

    const created = await apiClient(stack).POST('/api/v1/tokens', { body: { name: 'ops' } });
    expect(created.response.status).toBe(201);
    const opsToken = created.data!.token;
    const ops = (path: string) => stack.http.raw.get(`/api/v1${path}`).set('Authorization', `Bearer ${opsToken}`);

    expect((await stack.http.delete('/tokens/bootstrap')).status).toBe(204);
    const revoked = await stack.http.get('/tokens');
    expect([revoked.status, errorBodyOf(revoked).message]).toEqual([401, 'invalid or expired token']);
    expect((await ops('/tokens')).body).toEqual({
      total: 1,
      start: 0,
      limit: 50,
      data: [expect.objectContaining({ id: 'admin@pvefleet!ops' })],
    });
    const lastOps = await stack.http.raw.delete('/api/v1/tokens/ops').set('Authorization', `Bearer ${opsToken}`);
    expect(lastOps.status).toBe(409);

    await stack.killApi();
    await stack.restartApi();
    expect((await stack.http.get('/tokens')).status).toBe(401);
    expect((await ops('/tokens')).status).toBe(200);
    await eventually(
      () => Promise.resolve(/PVEFLEET_ADMIN_TOKEN is ignored: admin@pvefleet!bootstrap was revoked/.test(stack.output()) || undefined),
      10_000,
      'the start to say so',
    );
  });
});

describe('an unreachable database at start', () => {
  /** Starts a built app against a closed port and returns its exit code and everything it printed. */
  async function startAgainstClosedPort(main: string) {
    const port = await freePort();
    const child = spawn(process.execPath, [main], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/pvefleet`,
        REDIS_URL: inject('redisUrl'),
        PVEFLEET_MASTER_KEY: randomBytes(32).toString('base64'),
        PVEFLEET_DB_CONNECT_WAIT_S: '2',
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    return { port, code, lines: output.trim().split('\n') };
  }

  it.each([
    ['api', 'dist/apps/api/apps/api/src/main.js'],
    ['worker', 'dist/apps/worker/apps/worker/src/main.js'],
  ])('the %s says where it looked, retries for the bound it names, then exits non-zero in one more line', async (name, main) => {
    const { port, code, lines } = await startAgainstClosedPort(main);
    expect(code).toBe(1);
    expect(lines).toEqual([
      `pvefleet ${name}: database unreachable at 127.0.0.1:${port} (DATABASE_URL) [ECONNREFUSED]; retrying for up to 2 s`,
      `pvefleet ${name}: database still unreachable at 127.0.0.1:${port} (DATABASE_URL) after 2 s [ECONNREFUSED]; exiting`,
    ]);
  });
});
