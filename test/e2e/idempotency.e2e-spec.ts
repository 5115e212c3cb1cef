import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { clientKey } from '../support/fleet';
import { Stack } from '../support/stack';
import { uniqueName } from '../support/tasks';

const NODES = 500;

/**
 * A fleet request is all or nothing, and a retry with the same Idempotency-Key gets the same tasks
 * instead of a second set, even when the API was killed in the middle of the first attempt. No
 * worker runs here: the tasks only have to exist (or not).
 */
describe('Idempotency-Key and all-or-nothing fleet requests', () => {
  let stack: Stack;
  let db: pg.Client;
  const label = uniqueName('drill');

  beforeAll(async () => {
    db = new pg.Client({ connectionString: inject('databaseUrl') });
    [stack] = await Promise.all([Stack.start({ workers: 0 }), db.connect()]);
    const { privateKey } = clientKey();
    for (let i = 0; i < NODES; i++) {
      const res = await stack.http.post('/nodes', {
        name: `${label}-${i}`,
        host: '127.0.0.1',
        port: 1,
        credential: { type: 'key', privateKey },
        labels: { drill: label },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  const request = (word: string) => ({
    selector: { labels: { drill: label } },
    type: 'exec',
    params: { argv: ['echo', word], readOnly: true },
  });
  const post = (word: string, key: string) => stack.http.post('/tasks', request(word)).set('Idempotency-Key', key);
  const count = async (word: string) =>
    Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM task WHERE params->'argv'->>1 = $1`, [word])).rows[0].n);

  it('leaves all tasks or none when the API dies mid-request, and a retry with the key makes them once', async () => {
    for (const killAfterMs of [5, 40, 150]) {
      const word = uniqueName('w');
      const key = randomUUID();
      const first = post(word, key).then(
        (r) => r.status,
        () => 'killed',
      );
      await new Promise((r) => setTimeout(r, killAfterMs));
      await stack.killApi();
      await first;
      expect([0, NODES]).toContain(await count(word));
      await stack.restartApi();

      const retry = await post(word, key);
      expect(retry.status, JSON.stringify(retry.body)).toBe(202);
      expect(retry.body.tasks).toHaveLength(NODES);
      expect(await count(word)).toBe(NODES);
      const again = await post(word, key);
      expect(again.body.tasks.map((t: { upid: string }) => t.upid)).toEqual(retry.body.tasks.map((t: { upid: string }) => t.upid));
      expect(await count(word)).toBe(NODES);
    }
  });

  it('refuses the same key for a different request, and a malformed key, running nothing', async () => {
    const key = randomUUID();
    const a = uniqueName('w');
    expect((await post(a, key)).status).toBe(202);
    const b = uniqueName('w');
    const reused = await post(b, key);
    expect(reused.status).toBe(409);
    expect(reused.body.message).toContain('Idempotency-Key');
    expect(await count(b)).toBe(0);
    const bad = await post(b, 'has space');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    expect(await count(b)).toBe(0);
  });
});
