import type { TestingModule } from '@nestjs/testing';
import { Db, PgNotifications } from '@pvefleet/db';
import { NodeRepository, NodesModule } from '@pvefleet/nodes';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seedNode, seedRunningTask, uniqueName } from './support/database';
import { composeModules } from './support/nest';

describe('NodeRepository on Postgres: pages and filters in SQL', () => {
  let app: TestingModule;
  let db: Db;
  let nodes: NodeRepository;
  const prefix = uniqueName('nr');
  const cluster = uniqueName('c');

  beforeAll(async () => {
    let redis;
    ({ app, redis } = await composeModules(NodesModule));
    redis.disconnect();
    db = app.get(Db);
    nodes = app.get(NodeRepository);
    const labelSets: Record<string, string>[] = [{ role: 'canary', dc: 'fra' }, { dc: 'fra' }, { dc: 'ber' }, {}];
    for (const [i, labels] of labelSets.entries()) {
      await nodes.insert({
        name: `${prefix}-${i}`,
        host: i === 3 ? `${prefix}_host.example` : '10.0.0.1',
        port: 22,
        sshUser: 'root',
        credentialType: 'password',
        credential: 'sealed',
        hostKeyFingerprint: null,
        labels,
      });
    }
    await sql`UPDATE node SET facts = jsonb_build_object('cluster', jsonb_build_object('name', ${cluster}::text))
               WHERE name IN (${prefix + '-0'}, ${prefix + '-1'})`.execute(db);
  });
  afterAll(async () => {
    await app.close();
  });

  const names = (r: { data: { name: string }[] }) => r.data.map((n) => n.name);

  it('pages by name with a total of every match', async () => {
    const page = await nodes.page({ text: prefix }, 1, 2);
    expect(page.total).toBe(4);
    expect(names(page)).toEqual([`${prefix}-1`, `${prefix}-2`]);
  });

  it('filters by labels (all must match), cluster from facts, and text in name or host, case-insensitive', async () => {
    expect(names(await nodes.page({ text: prefix, labels: { dc: 'fra' } }, 0, 50))).toEqual([`${prefix}-0`, `${prefix}-1`]);
    expect(names(await nodes.page({ labels: { dc: 'fra', role: 'canary' }, text: prefix }, 0, 50))).toEqual([`${prefix}-0`]);
    expect(names(await nodes.page({ clusters: [cluster] }, 0, 50))).toEqual([`${prefix}-0`, `${prefix}-1`]);
    expect(names(await nodes.page({ text: `${prefix.toUpperCase()}_HOST` }, 0, 50))).toEqual([`${prefix}-3`]);
    // LIKE's wildcards are plain text here.
    expect((await nodes.page({ text: `${prefix}%` }, 0, 50)).total).toBe(0);
  });

  it('refuses a second node of the same name with a conflict', async () => {
    await expect(
      nodes.insert({
        name: `${prefix}-0`,
        host: 'h',
        port: 22,
        sshUser: 'root',
        credentialType: 'password',
        credential: 'x',
        hostKeyFingerprint: null,
        labels: {},
      }),
    ).rejects.toThrow(/already exists/);
  });
});

describe('PgNotifications on Postgres', () => {
  let app: TestingModule;
  let db: Db;
  let notifications: PgNotifications;

  beforeAll(async () => {
    let redis;
    ({ app, redis } = await composeModules());
    redis.disconnect();
    db = app.get(Db);
    notifications = new PgNotifications(inject('databaseUrl'));
  });
  afterAll(async () => {
    await notifications.onApplicationShutdown();
    await app.close();
  });

  function collect(channel: 'pvefleet_task' | 'pvefleet_rollout', id: string) {
    const seen: string[] = [];
    const unsubscribe = notifications.subscribe(channel, id, (reason) => seen.push(reason));
    return { seen, unsubscribe };
  }

  const until = async (check: () => boolean, what: string) => {
    const deadline = Date.now() + 10_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('tells a task stream when its status changes, once per statement, and not for a heartbeat', async () => {
    const task = await seedRunningTask(db, await seedNode(db), { mutating: false });
    const other = collect('pvefleet_task', '0');
    const mine = collect('pvefleet_task', task.id);
    await until(() => notifications.listening, 'the listening connection');
    await sql`UPDATE task SET heartbeat_at = now() WHERE id = ${task.id}::bigint`.execute(db);
    await sql`UPDATE task SET status = 'stopped', exitstatus = 'OK', end_time = now() WHERE id = ${task.id}::bigint`.execute(db);
    await until(() => mine.seen.length > 0, 'the status notification');
    await new Promise((r) => setTimeout(r, 200));
    expect(mine.seen).toEqual(['changed']);
    expect(other.seen).toEqual([]);
    mine.unsubscribe();
    other.unsubscribe();
  });

  it('tells a rollout stream about new events, one notification for a statement of many rows', async () => {
    const { rows } = await sql<{ id: number }>`
      INSERT INTO rollout (spec, batches, "user") VALUES ('{}', '[]', 'root@pam') RETURNING id`.execute(db);
    const id = rows[0].id;
    const mine = collect('pvefleet_rollout', String(id));
    await until(() => notifications.listening, 'the listening connection');
    // The rollout's own insert notifies too, maybe only now: count from here.
    await new Promise((r) => setTimeout(r, 200));
    mine.seen.length = 0;
    await sql`INSERT INTO rollout_event (rollout_id, message) SELECT ${id}, 'event ' || g FROM generate_series(1, 50) g`.execute(db);
    await until(() => mine.seen.length > 0, 'the event notification');
    await new Promise((r) => setTimeout(r, 200));
    expect(mine.seen).toEqual(['changed']);
    mine.unsubscribe();
  });

  it('after losing its connection, reconnects and tells every subscriber to catch up', async () => {
    const task = await seedRunningTask(db, await seedNode(db), { mutating: false });
    const mine = collect('pvefleet_task', task.id);
    await until(() => notifications.listening, 'the listening connection');
    await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
               WHERE application_name = 'pvefleet-listen' AND datname = current_database()`.execute(db);
    await until(() => mine.seen.filter((r) => r === 'catch-up').length >= 2, 'catch-up on loss and on reconnect');
    await until(() => notifications.listening, 'listening again');
    await sql`UPDATE task SET status = 'stopped' WHERE id = ${task.id}::bigint`.execute(db);
    await until(() => mine.seen.includes('changed'), 'a notification after the reconnect');
    mine.unsubscribe();
  });
});
