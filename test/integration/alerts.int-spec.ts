import { randomBytes } from 'node:crypto';
import { loadConfig } from '@pvefleet/config';
import type { AlertDraft } from '@pvefleet/alerts';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { AlertDeliveryWorker } from '../../libs/alerts/src/delivery/alert-delivery.worker';
import { AlertQueue, deliveryJobId } from '../../libs/alerts/src/delivery/alert-queue';
import { AlertDeliveryRepository } from '../../libs/alerts/src/persistence/alert-delivery.repository';
import { AlertRepository } from '../../libs/alerts/src/persistence/alert.repository';
import { openDb, uniqueName } from './support/database';

/**
 * Alerts on Postgres and Redis: any number of evaluators raise an alert once (its dedupe key), with
 * a delivery row per channel written with it; a flushed Redis gets every pending delivery back from
 * its row, due when the row says, and none that is settled.
 */
describe('alerts on Postgres and Redis', () => {
  const { db, close } = openDb();
  const config = loadConfig({
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: inject('redisUrl'),
    PVEFLEET_REDIS_PREFIX: `pvefleet-int-${randomBytes(4).toString('hex')}`,
    PVEFLEET_MASTER_KEY: randomBytes(32).toString('base64'),
  });
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const alerts = new AlertRepository(db);
  const deliveries = new AlertDeliveryRepository(db);
  const queue = new AlertQueue(redis, config);
  let channels: number[];

  beforeAll(async () => {
    // Two channels of this test only; a rule naming them sends to them alone.
    channels = [];
    for (const name of [uniqueName('hook'), uniqueName('hook')]) {
      const { rows } = await sql<{ id: number }>`
        INSERT INTO alert_channel (name, type, config, updated_at) VALUES (${name}, 'webhook', '{"url":"http://127.0.0.1:9/"}', now())
        RETURNING id`.execute(db);
      channels.push(rows[0].id);
    }
  });
  afterAll(async () => {
    await sql`DELETE FROM alert_channel WHERE id = ANY(${channels})`.execute(db);
    await queue.beforeApplicationShutdown();
    redis.disconnect();
    await close();
  });

  const draft = (node: string): AlertDraft => ({
    rule: 'renewal-failed',
    dedupeKey: `renewal-failed:UPID:${node}:0000:0000:00000000:acmerenew::root@pam:`,
    node,
    taskUpid: `UPID:${node}:0000:0000:00000000:acmerenew::root@pam:`,
    rolloutId: null,
    title: `${node}: certificate renewal failed`,
    text: 'what happened; what to do next',
  });

  it('eight evaluators raising one alert at once: one alert, one delivery per channel', async () => {
    const node = uniqueName('pve');
    const results = await Promise.all(Array.from({ length: 8 }, () => alerts.raise(draft(node), new Date(), channels)));
    const raised = results.filter((r) => r !== null);
    expect(raised).toHaveLength(1);
    expect(raised[0]?.deliveryIds).toHaveLength(2);
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM alert WHERE node = ${node}`.execute(db);
    expect(rows[0].n).toBe('1');
    expect(await alerts.existingKeys([draft(node).dedupeKey, 'no-such-key'])).toEqual(new Set([draft(node).dedupeKey]));
  });

  it('a flushed Redis: pending deliveries are enqueued again from their rows (due when the row says), settled ones are not', async () => {
    const r = await alerts.raise(draft(uniqueName('pve')), new Date(), channels);
    if (!r) throw new Error('not raised');
    const [first, second] = r.deliveryIds;
    await queue.enqueue(r.deliveryIds);
    expect(await queue.queue.getJob(deliveryJobId(first))).toBeDefined();

    // One delivered; the other failed a try and waits a minute for the next.
    await deliveries.delivered(first, { error: null, httpStatus: 200 });
    await deliveries.retrying(second, { error: 'HTTP 503', httpStatus: 503 }, new Date(Date.now() + 60_000));
    // Redis loses everything under this prefix.
    const keys = await redis.keys(`${config.redisPrefix}:*`);
    if (keys.length) await redis.del(...keys);
    expect(await queue.queue.getJob(deliveryJobId(second))).toBeUndefined();

    // What every worker does at start and every minute (not started here: nothing consumes the queue).
    await new AlertDeliveryWorker(redis, config, queue, undefined as never, deliveries).requeue();
    const job = await queue.queue.getJob(deliveryJobId(second));
    expect(job?.data).toEqual({ deliveryId: second });
    expect(job?.opts.delay).toBeGreaterThan(50_000);
    expect(await queue.queue.getJob(deliveryJobId(first))).toBeUndefined();

    // Enqueued again while its job waits: still that one job, still due in a minute.
    await queue.enqueue([second]);
    expect((await queue.queue.getJob(deliveryJobId(second)))?.opts.delay).toBeGreaterThan(50_000);

    const row = await deliveries.pendingForSending(second);
    expect(row).toMatchObject({ attempts: 1, payload: { event: 'alert', alert: { rule: 'renewal-failed' } } });
    expect(await deliveries.pendingForSending(first)).toBeUndefined();
  });
});
