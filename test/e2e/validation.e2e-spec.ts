import { spawnSync } from 'node:child_process';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Stack } from '../support/stack';
import { TestSshd } from '../support/sshd';
import { apiClient, errorBodyOf, errorFields } from '../support/api-client';
import { registerNode, taskTotal as countTasks, uniqueName } from '../support/tasks';
import { stopAll } from '../support/teardown';

describe('bad input: a 4xx naming the field, and nothing runs', () => {
  let stack: Stack;
  let sshd: TestSshd;
  let node: string;
  // Undefined until beforeAll got that far.
  let queue: Queue | undefined;

  const taskTotal = () => countTasks(stack);
  const queued = async () => {
    const c = await queue!.getJobCounts('wait', 'delayed', 'active', 'prioritized');
    return Object.values(c).reduce((a, b) => a + b, 0);
  };

  beforeAll(async () => {
    [stack, sshd] = await Promise.all([Stack.start(), TestSshd.start()]);
    node = await registerNode(stack, sshd);
    queue = new Queue('tasks', { connection: { url: stack.env.REDIS_URL }, prefix: stack.env.PVEFLEET_REDIS_PREFIX });
  });
  afterAll(async () => {
    await queue?.close();
    await stopAll(stack, sshd);
  });

  const validNode = () => ({
    name: uniqueName(),
    host: '127.0.0.1',
    port: 22,
    credential: { type: 'password', password: 'x' },
  });

  it.each([
    ['a name with a dot', { name: 'pve1.example.com' }, 'name'],
    ['a name starting with a hyphen', { name: '-pve1' }, 'name'],
    ['a name with an underscore', { name: 'pve_1' }, 'name'],
    ['a 64-character name', { name: 'a'.repeat(64) }, 'name'],
    ['a shell injection as host', { host: '127.0.0.1;touch /tmp/pwned' }, 'host'],
    ['a command substitution as host', { host: '$(id)' }, 'host'],
    ['a host with a space', { host: 'pve 1' }, 'host'],
    ['port 0', { port: 0 }, 'port'],
    ['port 70000', { port: 70000 }, 'port'],
    ['a port as a string', { port: '22' }, 'port'],
    ['an ssh user with a quote', { sshUser: "root'" }, 'sshUser'],
    ['an unknown field', { color: 'red' }, 'color'],
    ['a credential of unknown type', { credential: { type: 'token', token: 'x' } }, 'credential.type'],
    ['a private key that is not one', { credential: { type: 'key', privateKey: 'not a key' } }, 'credential.privateKey'],
    ['a malformed fingerprint', { hostKeyFingerprint: 'MD5:aa:bb' }, 'hostKeyFingerprint'],
    ['a label with a newline', { labels: { dc: 'fra\nx' } }, 'labels.dc'],
  ])('POST /nodes rejects %s', async (_what, patch, field) => {
    const res = await stack.http.post('/nodes', { ...validNode(), ...patch });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(errorFields(res)).toContain(field);
    expect(errorBodyOf(res).message).toContain(field);
  });

  it('POST /nodes rejects a missing credential and names it', async () => {
    const { credential: _c, ...rest } = validNode();
    const res = await stack.http.post('/nodes', rest);
    expect(res.status).toBe(400);
    expect(errorFields(res)[0]).toBe('credential');
  });

  it('rejects a body over 64 KiB (413) and malformed JSON (400), naming the body', async () => {
    const big = await stack.http.post('/nodes', { ...validNode(), labels: { a: 'x' }, pad: 'y'.repeat(70_000) });
    expect(big.status).toBe(413);
    expect(errorFields(big)[0]).toBe('body');
    const bad = await stack.http.raw
      .post('/api/v1/nodes')
      .set('Authorization', `Bearer ${stack.token}`)
      .set('Content-Type', 'application/json')
      .send('{"name": ');
    expect(bad.status).toBe(400);
    expect(errorFields(bad)[0]).toBe('body');
  });

  it('refuses a duplicate node name with 409', async () => {
    const body = validNode();
    await stack.http.post('/nodes', body).expect(201);
    const again = await stack.http.post('/nodes', body);
    expect(again.status).toBe(409);
    expect(errorBodyOf(again).message).toContain(body.name);
  });

  it.each([
    ['an unknown task type', { type: 'rm-rf' }, 'type'],
    ['a task type with shell characters', { type: 'facts;id' }, 'type'],
    ['an unknown field', { type: 'facts', when: 'now' }, 'when'],
    ['unknown params', { type: 'facts', params: { extra: 1 } }, 'params.extra'],
    ['params that are not an object', { type: 'aptupdate', params: 'x' }, 'params'],
    ['dryRun that is not a boolean', { type: 'facts', dryRun: 'yes' }, 'dryRun'],
  ])('POST /nodes/{name}/tasks rejects %s and enqueues nothing', async (_what, body, field) => {
    const [before, queuedBefore] = [await taskTotal(), await queued()];
    const res = await stack.http.post(`/nodes/${node}/tasks`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(errorFields(res)).toContain(field);
    expect(await taskTotal()).toBe(before);
    expect(await queued()).toBe(queuedBefore);
  });

  it('rejects an invalid node name in the path with 400 and an unknown node with 404', async () => {
    const bad = await stack.http.post('/nodes/bad.name/tasks', { type: 'facts' });
    expect(bad.status).toBe(400);
    expect(errorFields(bad)[0]).toBe('name');
    const missing = await stack.http.post(`/nodes/${uniqueName('ghost')}/tasks`, { type: 'facts' });
    expect(missing.status).toBe(404);
    expect((await stack.http.get(`/nodes/${uniqueName('ghost')}`)).status).toBe(404);
  });

  it('rejects a malformed UPID with 400 and an unknown one with 404', async () => {
    for (const path of [
      '/tasks/not-a-upid',
      '/tasks/UPID:x:1:2:3:t::u:/log',
      `/tasks/${encodeURIComponent('UPID:n:0000C346:165A0CE4:68D7279C:a b::root@pam:')}`,
    ]) {
      const res = await stack.http.get(path);
      expect(res.status, path).toBe(400);
      expect(errorFields(res)[0]).toBe('upid');
    }
    const unknown = encodeURIComponent('UPID:ghost:0000C346:165A0CE4:68D7279C:aptupdate::root@pam:');
    expect((await stack.http.get(`/tasks/${unknown}`)).status).toBe(404);
    expect((await stack.http.delete(`/tasks/${unknown}`)).status).toBe(404);
  });

  it('rejects bad list and log queries, naming the parameter', async () => {
    for (const [q, field] of [
      ['limit=0', 'query.limit'],
      ['limit=abc', 'query.limit'],
      ['status=done', 'query.status'],
      ['since=yesterday', 'query.since'],
      ['node=a.b', 'query.node'],
      ['colour=red', 'query.colour'],
    ]) {
      const res = await stack.http.get(`/tasks?${q}`);
      expect(res.status, q).toBe(400);
      expect(errorFields(res)).toContain(field);
    }
  });

  it('needs a valid bearer token everywhere but /health', async () => {
    expect((await stack.http.raw.get('/api/v1/health')).status).toBe(200);
    for (const [method, path] of [
      ['get', '/api/v1/nodes'],
      ['get', '/api/v1/tasks'],
      ['post', `/api/v1/nodes/${node}/tasks`],
      ['get', '/api/v1/tokens'],
    ] as const) {
      const none = await stack.http.raw[method](path);
      expect(none.status, path).toBe(401);
      expect(none.headers['www-authenticate']).toContain('Bearer');
      const wrong = await stack.http.raw[method](path).set('Authorization', 'Bearer not-the-right-token-at-all');
      expect(wrong.status, path).toBe(401);
    }
  });

  it('creates named tokens whose owner becomes the task user', async () => {
    const name = `ci${Date.now()}`;
    const created = await apiClient(stack).POST('/api/v1/tokens', { body: { name } });
    expect(created.response.status).toBe(201);
    const { id, token } = created.data!;
    expect(id).toBe(`admin@pvefleet!${name}`);
    const res = await apiClient(stack, token).POST('/api/v1/nodes/{name}/tasks', {
      params: { path: { name: node } },
      body: { type: 'facts' },
    });
    expect(res.response.status).toBe(202);
    expect(res.data && 'upid' in res.data ? res.data.upid : res.data).toMatch(new RegExp(`:admin@pvefleet!${name}:$`));
    expect(JSON.stringify((await stack.http.get('/tokens')).body)).not.toContain(token);
    expect((await stack.http.post('/tokens', { name: 'bad name' })).status).toBe(400);
  });
});

describe('configuration errors stop the process and name the variable', () => {
  const run = (main: string, env: Record<string, string>) =>
    spawnSync(process.execPath, [main], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 20_000 });
  const good = {
    DATABASE_URL: 'postgresql://u@127.0.0.1:1/x',
    REDIS_URL: 'redis://127.0.0.1:1',
    PVEFLEET_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
  };

  it.each([
    ['DATABASE_URL', { ...good, DATABASE_URL: '' }],
    ['REDIS_URL', { ...good, REDIS_URL: 'http://x' }],
    ['PORT', { ...good, PORT: 'eighty' }],
    ['PVEFLEET_MASTER_KEY', { ...good, PVEFLEET_MASTER_KEY: 'c2hvcnQ=' }],
    ['PVEFLEET_MASTER_KEY or PVEFLEET_MASTER_KEY_FILE', { DATABASE_URL: good.DATABASE_URL, REDIS_URL: good.REDIS_URL }],
    ['PVEFLEET_MASTER_KEY_FILE', { ...good, PVEFLEET_MASTER_KEY: '', PVEFLEET_MASTER_KEY_FILE: '/nonexistent/key' }],
  ])('%s', (variable, env) => {
    for (const main of ['dist/apps/api/apps/api/src/main.js', 'dist/apps/worker/apps/worker/src/main.js']) {
      const r = run(main, Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toContain(`configuration error: ${variable}`);
    }
  });
});
