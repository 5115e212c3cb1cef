import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { submittedTaskSchema } from '@pvefleet/contracts';
import { z } from 'zod';
import { errorBodyOf } from '../support/api-client';
import { clientKey } from '../support/fleet';
import { Stack } from '../support/stack';
import { uniqueName } from '../support/tasks';
import { stopAll } from '../support/teardown';

const NODES = 500;

/** The fleet form's 202 (raw here: the requests carry an Idempotency-Key and some are cut off by a killed API). */
const queuedTasks = z.object({ tasks: z.array(submittedTaskSchema) });
const upidsOf = (res: { body: unknown }) => queuedTasks.parse(res.body).tasks.map((t) => t.upid);

/**
 * A fleet request is all or nothing, and a retry with the same Idempotency-Key gets the same tasks
 * instead of a second set, even when the API was killed in the middle of the first attempt. No
 * worker runs here: the tasks only have to exist (or not).
 */
describe('Idempotency-Key and all-or-nothing fleet requests', () => {
  let stack: Stack;
  const db = new pg.Client({ connectionString: inject('databaseUrl') });
  const label = uniqueName('drill');

  beforeAll(async () => {
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
    await db.end();
    await stopAll(stack);
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
      expect(upidsOf(retry)).toHaveLength(NODES);
      expect(await count(word)).toBe(NODES);
      const again = await post(word, key);
      expect(upidsOf(again)).toEqual(upidsOf(retry));
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
    expect(errorBodyOf(reused).message).toContain('Idempotency-Key');
    expect(await count(b)).toBe(0);
    const bad = await post(b, 'has space');
    expect(bad.status).toBe(400);
    expect(errorBodyOf(bad).errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    expect(await count(b)).toBe(0);
  });
});
