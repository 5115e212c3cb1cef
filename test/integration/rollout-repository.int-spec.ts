import { rolloutRequestSchema } from '@pvefleet/contracts';
import type { Db } from '@pvefleet/db';
import { RolloutRepository, type RolloutNodeRow } from '@pvefleet/rollouts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, seedNode, uniqueName } from './support/database';

/** The rollout repository's statements on the run's Postgres: paging, live-feed reads, and its guards. */
describe('RolloutRepository, on Postgres', () => {
  let db: Db;
  let close: () => Promise<void>;
  let repo: RolloutRepository;

  beforeAll(() => {
    ({ db, close } = openDb());
    repo = new RolloutRepository(db);
  });
  afterAll(() => close());

  async function seedRollout(user = uniqueName('user')) {
    const node = await seedNode(db);
    const id = await repo.create({
      spec: rolloutRequestSchema.parse({ selector: { nodes: [node.name] } }),
      batches: [[node.name]],
      user,
      nodes: [{ node: node.name, nodeId: node.id, cluster: null, batch: 0, position: 1 }],
      created: `created by ${user}`,
    });
    return { id, node };
  }

  it('stores a rollout with its node and first event, and loads it back', async () => {
    const { id, node } = await seedRollout('root@pam');
    const loaded = await repo.load(id);
    expect(loaded?.rollout).toMatchObject({ id, status: 'pending', batches: [[node.name]], currentBatch: 0, preflight: {}, clusters: {} });
    expect(loaded?.nodes).toEqual([
      expect.objectContaining({ node: node.name, nodeId: node.id, state: 'pending', step: null, taskUpid: null, tasks: [], retries: 0 }),
    ]);
    expect((await repo.events(id, 0, 10)).map((e) => e.message)).toEqual(['created by root@pam']);
  });

  it('pages rollouts newest first with the total, past 200 and by status', async () => {
    const user = uniqueName('pager');
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await seedRollout(user)).id);
    const all = await repo.list({ start: 0, limit: 1_000 });
    expect(all.total).toBeGreaterThanOrEqual(3);
    expect(all.data.length).toBe(Math.min(all.total, 1_000));
    const ours = all.data.filter((r) => r.user === user).map((r) => r.id);
    expect(ours).toEqual([...ids].reverse());
    const page = await repo.list({ start: 1, limit: 1 });
    expect(page.data).toHaveLength(1);
    expect(page.data[0].id).toBe(all.data[1].id);
    expect(page.total).toBe(all.total);
    await repo.steer(ids[0], ['pending'], 'paused');
    const paused = await repo.list({ start: 0, limit: 1_000, status: 'paused' });
    expect(paused.data.every((r) => r.status === 'paused')).toBe(true);
    expect(paused.data.map((r) => r.id)).toContain(ids[0]);
  });

  it('feeds only what changed since a position: later events and the status', async () => {
    const { id } = await seedRollout();
    const [first] = await repo.events(id, 0, 10);
    await repo.event(id, 'one', { level: 'warn' });
    await repo.event(id, 'two');
    const changes = await repo.changesSince(id, first.id, 100);
    expect(changes).toMatchObject({ status: 'pending', reason: null });
    expect(changes?.events.map((e) => [e.message, e.level])).toEqual([
      ['one', 'warn'],
      ['two', 'info'],
    ]);
    expect((await repo.changesSince(id, changes!.events[1].id, 100))?.events).toEqual([]);
    expect(await repo.changesSince(2_000_000_000, 0, 10)).toBeUndefined();
  });

  it('makes each transition once: status changes, node steps and pre-flights are guarded', async () => {
    const { id } = await seedRollout();
    expect(await repo.setStatus(id, ['pending'], 'running')).toBe(true);
    expect(await repo.setStatus(id, ['pending'], 'running')).toBe(false);
    const started = await sql<{ started_at: Date | null }>`SELECT started_at FROM rollout WHERE id = ${id}`.execute(db);
    expect(started.rows[0].started_at).not.toBeNull();

    const node = (await repo.load(id))!.nodes[0];
    const step = (n: RolloutNodeRow, upid: string) => repo.transaction((tx) => repo.advanceNode(tx, n, { step: 'refresh', upid }));
    expect(await step(node, 'UPID:a')).toBe(true);
    // A second owner with the same (stale) view of the node loses.
    expect(await step(node, 'UPID:b')).toBe(false);
    const moved = (await repo.load(id))!.nodes[0];
    expect(moved).toMatchObject({ state: 'running', step: 'refresh', taskUpid: 'UPID:a', tasks: [{ step: 'refresh', upid: 'UPID:a' }] });

    expect(await repo.transaction((tx) => repo.addPreflight(tx, id, 'c1', 'UPID:p'))).toBe(true);
    expect(await repo.transaction((tx) => repo.addPreflight(tx, id, 'c1', 'UPID:q'))).toBe(false);
    expect((await repo.load(id))!.rollout.preflight).toEqual({ c1: 'UPID:p' });

    expect(await repo.finishNode(moved, 'done', 'upgraded', 'OK')).toBe(true);
    expect(await repo.finishNode(moved, 'failed', 'again')).toBe(false);
    expect((await repo.load(id))!.nodes[0]).toMatchObject({ state: 'done', detail: 'upgraded', tasks: [{ exitstatus: 'OK' }] });

    expect(await repo.setStatus(id, ['running'], 'completed', 'all done')).toBe(true);
    const ended = await sql<{ ended_at: Date | null; reason: string }>`SELECT ended_at, reason FROM rollout WHERE id = ${id}`.execute(db);
    expect(ended.rows[0]).toMatchObject({ reason: 'all done' });
    expect(ended.rows[0].ended_at).not.toBeNull();
  });

  it('leases an active rollout to one owner until the lease runs out', async () => {
    const { id } = await seedRollout();
    const a = uniqueName('worker-a');
    const b = uniqueName('worker-b');
    expect(await repo.claim(a, 60_000)).toContain(id);
    expect(await repo.claim(b, 60_000)).not.toContain(id);
    await repo.release(a);
    expect(await repo.claim(b, 1)).toContain(id);
    await new Promise((r) => setTimeout(r, 20));
    expect(await repo.claim(a, 60_000)).toContain(id);
    await repo.release(a);
  });
});
