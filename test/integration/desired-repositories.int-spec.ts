import type { Db } from '@pvefleet/db';
import { ConflictError } from '@pvefleet/db';
import { describeConflict, profileConflicts } from '@pvefleet/desired';
import { DesiredRevisionRepository, NodeOverrideRepository, ProfileRepository, type ProfileDocument } from '@pvefleet/desired/state';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, seedNode, uniqueName } from './support/database';

const refuseConflicts = (doc: ProfileDocument, others: readonly ProfileDocument[]) => {
  const c = profileConflicts(doc, others);
  if (c.length) throw new ConflictError(c.map(describeConflict).join('; '));
};

/** Profiles, overrides and their revisions on the run's Postgres: numbering, diffs, and the conflict check under concurrency. */
describe('desired-state repositories, on Postgres', () => {
  let db: Db;
  let close: () => Promise<void>;
  let profiles: ProfileRepository;
  let overrides: NodeOverrideRepository;
  let revisions: DesiredRevisionRepository;

  beforeAll(() => {
    ({ db, close } = openDb());
    profiles = new ProfileRepository(db);
    overrides = new NodeOverrideRepository(db);
    revisions = new DesiredRevisionRepository(db);
  });
  afterAll(() => close());

  const doc = (over: Partial<ProfileDocument> = {}): ProfileDocument => ({
    name: uniqueName('p'),
    description: '',
    selector: { labels: { int: uniqueName('t') } },
    priority: 0,
    fields: { ntp: { value: { servers: ['a.example.com'], keepDefaultPool: true } } },
    ...over,
  });

  it('numbers revisions across a delete and a re-creation, each with its diff', async () => {
    const d = doc();
    expect((await profiles.save('create', d, 'a@pve!t', refuseConflicts)).revision).toBe(1);
    const changed = { ...d, priority: 5 };
    expect((await profiles.save('update', changed, 'b@pve!t', refuseConflicts)).revision).toBe(2);
    await profiles.remove(d.name, 'c@pve!t');
    expect(await profiles.find(d.name)).toBeUndefined();
    expect((await profiles.save('restore', d, 'd@pve!t', refuseConflicts)).revision).toBe(4);
    const page = await revisions.page('profile', d.name, 0, 10);
    expect(page.total).toBe(4);
    expect(page.data.map((r) => [r.n, r.author])).toEqual([
      [4, 'd@pve!t'],
      [3, 'c@pve!t'],
      [2, 'b@pve!t'],
      [1, 'a@pve!t'],
    ]);
    expect(page.data[1]?.document).toBeNull();
    expect(page.data[2]?.diff).toEqual([{ op: 'replace', path: '/priority', from: 0, to: 5 }]);
    await expect(profiles.save('create', d, 'e@pve!t', refuseConflicts)).rejects.toThrow(ConflictError);
    await expect(profiles.save('update', doc(), 'e@pve!t', refuseConflicts)).rejects.toThrow(/does not exist/);
  });

  it('of two conflicting profiles saved at once, exactly one is stored', async () => {
    const selector = { labels: { int: uniqueName('race') } };
    const a = doc({ selector, priority: 7 });
    const b = doc({ selector, priority: 7 });
    const results = await Promise.allSettled([
      profiles.save('create', a, 'x', refuseConflicts),
      profiles.save('create', b, 'y', refuseConflicts),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [rejected] = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected.reason).toBeInstanceOf(ConflictError);
    expect((rejected.reason as Error).message).toMatch(/both set field 'ntp' at priority 7/);
  });

  it("a node's override: put twice, removed, each a revision under the node's name", async () => {
    const node = await seedNode(db);
    const fields = { repos: { value: { channel: 'test' } } };
    expect((await overrides.put(node, fields, 'u')).revision).toBe(1);
    const again = await overrides.put(node, { repos: { value: { channel: 'no-subscription' } } }, 'u');
    expect(again).toMatchObject({ revision: 2, nodeId: node.id });
    expect((await overrides.findMany([node.id])).get(node.id)?.fields).toEqual({ repos: { value: { channel: 'no-subscription' } } });
    await overrides.remove(node, 'u');
    expect(await overrides.find(node.id)).toBeUndefined();
    await expect(overrides.remove(node, 'u')).rejects.toThrow(/has no override/);
    const page = await revisions.page('override', node.name, 0, 10);
    expect(page.data.map((r) => r.n)).toEqual([3, 2, 1]);
    expect(page.data[1]?.diff).toEqual([{ op: 'replace', path: '/fields/repos/value/channel', from: 'test', to: 'no-subscription' }]);
  });
});
