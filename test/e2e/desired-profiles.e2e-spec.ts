import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rolloutDryRunSchema } from '@pvefleet/contracts';
import { apiClient, errorBodyOf, errorFields } from '../support/api-client';
import type { TestFleet } from '../support/fleet';
import { simulatedCluster } from '../support/rollouts';
import { Stack } from '../support/stack';
import { uniqueName } from '../support/tasks';
import { stopAll } from '../support/teardown';

/**
 * Profiles, overrides and revisions through the API. Profiles are fleet-wide rows in the run's shared
 * database, so every selector here carries this file's own label value (selectors with another value
 * of that key can never meet them) and priorities are drawn at random.
 */
describe('desired state: profiles, overrides, provenance and revisions', () => {
  let started: Stack | undefined;
  const stack = (): Stack => {
    if (!started) throw new Error('the stack did not start');
    return started;
  };
  const api = () => apiClient(stack());
  const put = (path: string, body: object) =>
    stack().http.raw.put(`/api/v1${path}`).set('Authorization', `Bearer ${stack().token}`).send(body);

  const tag = `desired-${randomBytes(4).toString('hex')}`;
  const P = 100 + Math.floor(Math.random() * 800);
  const fra = uniqueName('fra');
  const ams = uniqueName('ams');
  const base = uniqueName('base');
  const fraProfile = uniqueName('frap');
  const ntp = (...servers: string[]) => ({ value: { servers } });

  const desiredOf = async (node: string) => {
    const { data, error } = await api().GET('/api/v1/nodes/{name}/desired', { params: { path: { name: node } } });
    if (!data) throw new Error(JSON.stringify(error));
    return data.fields;
  };

  beforeAll(async () => {
    started = await Stack.start({ workers: 0 });
    for (const [name, site] of [
      [fra, 'fra'],
      [ams, 'ams'],
    ]) {
      const res = await api().POST('/api/v1/nodes', {
        body: { name, host: '127.0.0.1', credential: { type: 'password', password: 'x' }, labels: { e2e: tag, site } },
      });
      expect(res.response.status, JSON.stringify(res.error)).toBe(201);
    }
  });
  afterAll(async () => {
    await stopAll(started);
  });

  it('creates profiles, merges them by priority and says where each field came from', async () => {
    const b = await api().POST('/api/v1/profiles', {
      body: {
        name: base,
        description: 'every node of this test',
        selector: { labels: { e2e: tag } },
        priority: P,
        fields: { ntp: ntp('a.example.com'), upgradePolicy: { value: { reboot: 'if-required' } } },
      },
    });
    expect(b.response.status, JSON.stringify(b.error)).toBe(201);
    expect(b.data).toMatchObject({ name: base, revision: 1, priority: P, fields: { ntp: ntp('a.example.com') } });

    const f = await api().POST('/api/v1/profiles', {
      body: {
        name: fraProfile,
        selector: { labels: { e2e: tag, site: 'fra' } },
        priority: P + 1,
        fields: { ntp: ntp('fra.example.com'), repos: { value: { channel: 'no-subscription' }, mode: 'report' } },
      },
    });
    expect(f.response.status, JSON.stringify(f.error)).toBe(201);

    expect(await desiredOf(fra)).toEqual({
      ntp: {
        value: { servers: ['fra.example.com'], keepDefaultPool: true },
        mode: 'enforce',
        source: { kind: 'profile', name: fraProfile, revision: 1 },
      },
      repos: { value: { channel: 'no-subscription' }, mode: 'report', source: { kind: 'profile', name: fraProfile, revision: 1 } },
      upgradePolicy: {
        value: { reboot: 'if-required', downloadOnly: false },
        mode: 'enforce',
        source: { kind: 'profile', name: base, revision: 1 },
      },
    });
    expect((await desiredOf(ams)).ntp).toMatchObject({ value: { servers: ['a.example.com'] }, source: { kind: 'profile', name: base } });

    const one = await api().GET('/api/v1/profiles/{name}', { params: { path: { name: base } } });
    expect(one.data).toMatchObject({ name: base, description: 'every node of this test', selector: { labels: { e2e: tag } } });
    const list = await api().GET('/api/v1/profiles', { params: { query: { limit: 1000 } } });
    expect(list.data?.data.map((p) => p.name)).toEqual(expect.arrayContaining([base, fraProfile]));
    expect(list.data).toMatchObject({ start: 0, limit: 1000 });
  });

  it('refuses a profile of equal priority that can meet another on a field both set, naming both and the field', async () => {
    const clash = uniqueName('clash');
    const res = await stack().http.post('/profiles', {
      name: clash,
      selector: { labels: { e2e: tag } },
      priority: P,
      fields: { ntp: ntp('x.example.com') },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    const message = errorBodyOf(res).message;
    expect(message).toContain(`'${clash}'`);
    expect(message).toContain(`'${base}'`);
    expect(message).toContain("'ntp'");
    expect((await api().GET('/api/v1/profiles/{name}', { params: { path: { name: clash } } })).response.status).toBe(404);

    // The same priority on a selector that cannot meet fra's (another site), or on other fields, is fine.
    const amsOnly = await stack().http.post('/profiles', {
      name: uniqueName('amsp'),
      selector: { labels: { e2e: tag, site: 'ams' } },
      priority: P + 1,
      fields: { ntp: ntp('ams.example.com') },
    });
    expect(amsOnly.status, JSON.stringify(amsOnly.body)).toBe(201);
    expect((await desiredOf(ams)).ntp).toMatchObject({ value: { servers: ['ams.example.com'] } });

    // An update is checked as well.
    const upd = await put(`/profiles/${fraProfile}`, {
      selector: { labels: { e2e: tag } },
      priority: P,
      fields: { ntp: ntp('z.example.com') },
    });
    expect(upd.status, JSON.stringify(upd.body)).toBe(409);
    expect(errorBodyOf(upd).message).toContain(`'${base}'`);
  });

  it.each([
    ['an invalid NTP server', { ntp: ntp('bad host!') }, 'fields.ntp.value.servers.0'],
    ['a duplicate NTP server', { ntp: ntp('a.example.com', 'A.example.com') }, 'fields.ntp.value.servers.1'],
    ['an unknown field', { color: { value: 'red' } }, 'fields.color'],
    ['an unknown mode', { ntp: { value: { servers: ['a.example.com'] }, mode: 'sometimes' } }, 'fields.ntp.mode'],
    ['a channel that does not exist', { repos: { value: { channel: 'free' } } }, 'fields.repos.value.channel'],
    [
      'a pool disk not by id',
      { zfsPools: { value: [{ name: 'tank', raidLevel: 'single', devices: ['/dev/sdb'] }] } },
      'fields.zfsPools.value.0.devices.0',
    ],
    [
      'an ACME window out of range',
      { acme: { value: { domains: ['pve1.example.com'], renewWithinDays: 0 } } },
      'fields.acme.value.renewWithinDays',
    ],
  ])('refuses %s with a 400 naming the field', async (_what, fields, field) => {
    const res = await stack().http.post('/profiles', {
      name: uniqueName('bad'),
      selector: { labels: { e2e: tag } },
      priority: P + 50,
      fields,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(errorFields(res)).toContain(field);
  });

  it.each([
    ['a bad name', { name: 'no/slash', selector: { all: true } }, 'name'],
    ['no selector', { name: 'x1' }, 'selector'],
    ['an empty selector', { name: 'x2', selector: {} }, 'selector'],
    ['a fractional priority', { name: 'x3', selector: { all: true }, priority: 1.5 }, 'priority'],
  ])('refuses %s', async (_what, body, field) => {
    const res = await stack().http.post('/profiles', body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(errorFields(res)).toContain(field);
  });

  it("a node's override wins over every profile, with its own provenance, until it is removed", async () => {
    const saved = await put(`/nodes/${fra}/override`, { fields: { ntp: { value: { servers: ['mine.example.com'] }, mode: 'report' } } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({ node: fra, revision: 1 });
    expect((await desiredOf(fra)).ntp).toEqual({
      value: { servers: ['mine.example.com'], keepDefaultPool: true },
      mode: 'report',
      source: { kind: 'override', revision: 1 },
    });
    expect((await desiredOf(fra)).upgradePolicy.source).toEqual({ kind: 'profile', name: base, revision: 1 });
    const got = await api().GET('/api/v1/nodes/{name}/override', { params: { path: { name: fra } } });
    expect(got.data?.fields).toEqual({ ntp: { value: { servers: ['mine.example.com'], keepDefaultPool: true }, mode: 'report' } });

    const bad = await put(`/nodes/${fra}/override`, { fields: { ntp: ntp('') } });
    expect(bad.status).toBe(400);
    expect(errorFields(bad)).toContain('fields.ntp.value.servers.0');

    const removed = await api().DELETE('/api/v1/nodes/{name}/override', { params: { path: { name: fra } } });
    expect(removed.response.status).toBe(204);
    expect((await desiredOf(fra)).ntp.source).toEqual({ kind: 'profile', name: fraProfile, revision: 1 });
    expect((await api().GET('/api/v1/nodes/{name}/override', { params: { path: { name: fra } } })).response.status).toBe(404);
    expect((await api().GET('/api/v1/nodes/{name}/desired', { params: { path: { name: uniqueName('nope') } } })).response.status).toBe(404);
  });

  it('every change is a revision with its author and diff; a restore brings old values back as a new revision', async () => {
    const upd = await api().PUT('/api/v1/profiles/{name}', {
      params: { path: { name: base } },
      body: {
        selector: { labels: { e2e: tag } },
        priority: P,
        fields: { ntp: ntp('b.example.com'), upgradePolicy: { value: { reboot: 'never' } } },
      },
    });
    expect(upd.response.status, JSON.stringify(upd.error)).toBe(200);
    expect(upd.data).toMatchObject({ revision: 2, description: '' });
    expect((await desiredOf(ams)).upgradePolicy).toMatchObject({ value: { reboot: 'never' }, source: { name: base, revision: 2 } });

    const revs = await api().GET('/api/v1/profiles/{name}/revisions', { params: { path: { name: base } } });
    expect(revs.data?.total).toBe(2);
    const [second, first] = revs.data?.data ?? [];
    expect(first).toMatchObject({ n: 1, author: expect.stringMatching(/^admin@pvefleet!/) as unknown });
    expect(first.diff).toEqual(expect.arrayContaining([{ op: 'add', path: '/fields', to: expect.anything() as unknown }]));
    expect(second).toMatchObject({
      n: 2,
      author: first.author,
      document: { name: base, description: '', fields: { ntp: ntp('b.example.com') } },
    });
    expect(second.diff).toEqual(
      expect.arrayContaining([
        { op: 'replace', path: '/fields/ntp/value/servers/0', from: 'a.example.com', to: 'b.example.com' },
        { op: 'replace', path: '/fields/upgradePolicy/value/reboot', from: 'if-required', to: 'never' },
        { op: 'replace', path: '/description', from: 'every node of this test', to: '' },
      ]),
    );

    const restored = await api().POST('/api/v1/profiles/{name}/revisions/{n}/restore', { params: { path: { name: base, n: 1 } } });
    expect(restored.response.status, JSON.stringify(restored.error)).toBe(200);
    expect(restored.data).toMatchObject({ revision: 3, description: 'every node of this test', fields: { ntp: ntp('a.example.com') } });
    expect((await desiredOf(ams)).upgradePolicy).toMatchObject({ value: { reboot: 'if-required' }, source: { name: base, revision: 3 } });
    const after = await api().GET('/api/v1/profiles/{name}/revisions', { params: { path: { name: base }, query: { limit: 1 } } });
    expect(after.data).toMatchObject({ total: 3, limit: 1, data: [{ n: 3 }] });
    expect(after.data?.data[0]?.diff).toEqual(
      expect.arrayContaining([{ op: 'replace', path: '/fields/ntp/value/servers/0', from: 'b.example.com', to: 'a.example.com' }]),
    );
    // Revision 1 is unchanged: history is appended to, never rewritten.
    const all = await api().GET('/api/v1/profiles/{name}/revisions', { params: { path: { name: base } } });
    expect(all.data?.data.find((r) => r.n === 1)?.document).toMatchObject({ fields: { ntp: ntp('a.example.com') } });

    const missing = await api().POST('/api/v1/profiles/{name}/revisions/{n}/restore', { params: { path: { name: base, n: 99 } } });
    expect(missing.response.status).toBe(404);
  });

  it('a deleted profile keeps its history and comes back by a restore', async () => {
    const del = await api().DELETE('/api/v1/profiles/{name}', { params: { path: { name: fraProfile } } });
    expect(del.response.status).toBe(204);
    expect((await api().GET('/api/v1/profiles/{name}', { params: { path: { name: fraProfile } } })).response.status).toBe(404);
    expect((await desiredOf(fra)).ntp.source).toMatchObject({ kind: 'profile', name: base });

    const revs = await api().GET('/api/v1/profiles/{name}/revisions', { params: { path: { name: fraProfile } } });
    expect(revs.data?.data[0]).toMatchObject({ n: 2, document: null });
    const gone = await api().POST('/api/v1/profiles/{name}/revisions/{n}/restore', { params: { path: { name: fraProfile, n: 2 } } });
    expect(gone.response.status).toBe(409);

    const back = await api().POST('/api/v1/profiles/{name}/revisions/{n}/restore', { params: { path: { name: fraProfile, n: 1 } } });
    expect(back.response.status, JSON.stringify(back.error)).toBe(200);
    expect(back.data).toMatchObject({ name: fraProfile, revision: 3 });
    expect((await desiredOf(fra)).ntp.source).toEqual({ kind: 'profile', name: fraProfile, revision: 3 });
  });
});

describe('desired state: a rollout takes the upgrade policy its request leaves out', () => {
  let started: Stack | undefined;
  const fleets: TestFleet[] = [];
  const stack = (): Stack => {
    if (!started) throw new Error('the stack did not start');
    return started;
  };
  beforeAll(async () => {
    started = await Stack.start({ workers: 1 });
  });
  afterAll(async () => {
    await stopAll(started, ...fleets);
  });

  it("uses the nodes' declared reboot policy, refuses nodes that disagree, and the request's own word wins", async () => {
    const { nodes } = await simulatedCluster(stack(), fleets);
    const profile = await stack().http.post('/profiles', {
      name: uniqueName('upg'),
      selector: { nodes },
      priority: 100 + Math.floor(Math.random() * 800),
      fields: { upgradePolicy: { value: { reboot: 'never' } } },
    });
    expect(profile.status, JSON.stringify(profile.body)).toBe(201);
    const upgradeParams = async (body: object) => {
      const res = await stack().http.post('/rollouts', { selector: { nodes }, dryRun: true, ...body });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return rolloutDryRunSchema.parse(res.body).nodes.map((n) => n.steps.find((s) => s.type === 'aptupgrade')?.params);
    };
    expect(await upgradeParams({})).toEqual(nodes.map(() => expect.objectContaining({ reboot: 'never', downloadOnly: false }) as unknown));

    const [first] = nodes;
    const override = await stack()
      .http.raw.put(`/api/v1/nodes/${first}/override`)
      .set('Authorization', `Bearer ${stack().token}`)
      .send({ fields: { upgradePolicy: { value: { reboot: 'always' } } } });
    expect(override.status, JSON.stringify(override.body)).toBe(200);
    const refused = await stack().http.post('/rollouts', { selector: { nodes }, dryRun: true });
    expect(refused.status, JSON.stringify(refused.body)).toBe(400);
    expect(errorFields(refused)).toEqual(['job.params.reboot']);
    expect(errorBodyOf(refused).message).toContain(`${first}: always`);

    expect(await upgradeParams({ job: { params: { reboot: 'if-required' } } })).toEqual(
      nodes.map(() => expect.objectContaining({ reboot: 'if-required', downloadOnly: false }) as unknown),
    );
  });
});
