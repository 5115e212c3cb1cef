import type { Db } from '@pvefleet/db';
import { observeAll } from '@pvefleet/desired';
import { DriftRecompute, DriftRepository, FactsRefreshSettings } from '@pvefleet/desired/state';
import type { NodeFacts } from '@pvefleet/jobs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pveNodeFacts } from '../../libs/jobs/src/testing/node-facts.fixture';
import { openDb, seedNode, uniqueName } from './support/database';

const SERVERS = ['ntp1.example.com', 'ntp2.example.com'];

function chronyFacts(servers: string[]): NodeFacts {
  return pveNodeFacts(8, {
    time: {
      daemon: 'chrony',
      synced: true,
      leapStatus: 'Normal',
      selectedSource: null,
      chronyConf: '#pool 2.debian.pool.ntp.org iburst\nsourcedir /etc/chrony/sources.d\n',
      chronySources: [{ path: '/etc/chrony/sources.d/pvefleet.sources', content: servers.map((s) => `server ${s} iburst\n`).join('') }],
      timesyncdConf: null,
    },
  });
}

/** node_drift written in bulk on the run's Postgres: since kept while a status holds, rows of undesired fields gone, unknown when facts cannot be trusted. */
describe('drift recomputation, on Postgres', () => {
  let db: Db;
  let close: () => Promise<void>;
  let drift: DriftRecompute;

  beforeAll(() => {
    ({ db, close } = openDb());
    drift = new DriftRecompute(new DriftRepository(db), new FactsRefreshSettings(db));
  });
  afterAll(() => close());

  async function storeFacts(id: number, facts: NodeFacts, at = sql<Date>`now()`): Promise<void> {
    await sql`UPDATE node SET facts = ${JSON.stringify(facts)}::jsonb, facts_at = ${at}, observed = ${JSON.stringify(observeAll(facts))}::jsonb,
                facts_error = NULL, facts_error_at = NULL WHERE id = ${id}`.execute(db);
  }

  async function profile(name: string, node: string, fields: Record<string, unknown>): Promise<void> {
    await sql`INSERT INTO profile (name, selector, priority, fields, updated_at)
              VALUES (${name}, ${JSON.stringify({ nodes: [node] })}::jsonb, 0, ${JSON.stringify(fields)}::jsonb, now())
              ON CONFLICT (name) DO UPDATE SET fields = EXCLUDED.fields`.execute(db);
  }

  const rows = (id: number) => db.selectFrom('node_drift').selectAll().where('node_id', '=', id).orderBy('field').execute();

  it('writes one row per observable field, keeps since while the status holds, and deletes rows no longer desired', async () => {
    const node = await seedNode(db);
    const name = uniqueName('drift');
    await storeFacts(node.id, chronyFacts(SERVERS));
    await profile(name, node.name, {
      ntp: { value: { servers: SERVERS, keepDefaultPool: true } },
      repos: { value: { channel: 'no-subscription' } },
      upgradePolicy: { value: { reboot: 'if-required' } },
    });
    await drift.forNodes([node.id]);
    const first = await rows(node.id);
    // upgradePolicy is a setting: nothing on the node to compare, no row. repos: these facts list no PVE repository.
    expect(first.map((r) => [r.field, r.status, r.source])).toEqual([
      ['ntp', 'compliant', name],
      ['repos', 'drift', name],
    ]);

    await drift.forNodes([node.id]);
    expect(await rows(node.id)).toEqual(first);

    await storeFacts(node.id, chronyFacts(['rogue.example.com']));
    await drift.forNode(node.id);
    const [ntp] = await rows(node.id);
    expect(ntp).toMatchObject({ status: 'drift', observed: { servers: ['rogue.example.com'] } });
    expect(ntp.since.getTime()).toBeGreaterThan(first[0].since.getTime());

    await profile(name, node.name, { repos: { value: { channel: 'no-subscription' } } });
    await drift.forNodes([node.id]);
    expect((await rows(node.id)).map((r) => r.field)).toEqual(['repos']);
    await sql`DELETE FROM profile WHERE name = ${name}`.execute(db);
    await drift.forNodes([node.id]);
    expect(await rows(node.id)).toEqual([]);
  });

  it('is unknown when the last facts collection failed or the facts are older than two intervals', async () => {
    const node = await seedNode(db);
    const name = uniqueName('drift');
    await storeFacts(node.id, chronyFacts(SERVERS));
    await profile(name, node.name, { ntp: { value: { servers: SERVERS, keepDefaultPool: true } } });
    await drift.forNode(node.id);
    expect((await rows(node.id))[0].status).toBe('compliant');

    await sql`UPDATE node SET facts_error = 'connect ECONNREFUSED', facts_error_at = now() WHERE id = ${node.id}`.execute(db);
    await drift.forNode(node.id);
    expect((await rows(node.id))[0]).toMatchObject({
      status: 'unknown',
      reason: expect.stringContaining('connect ECONNREFUSED') as string,
    });

    await storeFacts(node.id, chronyFacts(SERVERS), sql<Date>`now() - interval '31 minutes'`);
    await drift.forNode(node.id);
    expect((await rows(node.id))[0]).toMatchObject({
      status: 'unknown',
      reason: expect.stringContaining('older than two refresh intervals') as string,
    });
    await sql`DELETE FROM profile WHERE name = ${name}`.execute(db);
  });
});
