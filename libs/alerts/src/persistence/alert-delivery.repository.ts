import { Inject, Injectable } from '@nestjs/common';
import { Db } from '@pvefleet/db';
import { sql } from 'kysely';
import type { AlertRuleName } from '../alert-rules';
import type { AlertPayload } from '../channels/alert-payload';
import type { StoredChannel } from '../channels/channel-settings';
import { toStored } from './alert-channel.repository';

/** A pending delivery with what its send needs. */
export interface DeliveryToSend {
  id: number;
  attempts: number;
  channel: StoredChannel;
  payload: AlertPayload;
}

/** The outcome of one try, as the row keeps it. */
export interface TryResult {
  error: string | null;
  httpStatus: number | null;
}

/**
 * The delivery worker's statements on `alert_delivery`: each transition guarded by `status = 'pending'`,
 * so a stale or repeated job (a requeue after a Redis flush) changes nothing that is settled.
 */
@Injectable()
export class AlertDeliveryRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  /** The delivery if it is still pending, with its alert and channel. */
  async pendingForSending(id: number): Promise<DeliveryToSend | undefined> {
    const row = await this.db
      .selectFrom('alert_delivery as d')
      .innerJoin('alert as a', 'a.id', 'd.alert_id')
      .innerJoin('alert_channel as c', 'c.id', 'd.channel_id')
      .selectAll('c')
      .select([
        'd.id as delivery_id',
        'd.attempts',
        'a.id as alert_id',
        'a.rule',
        'a.node',
        'a.task_upid',
        'a.rollout_id',
        'a.title',
        'a.text',
        'a.created_at as alert_created_at',
      ])
      .where('d.id', '=', String(id))
      .where('d.status', '=', 'pending')
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      id: Number(row.delivery_id),
      attempts: row.attempts,
      channel: toStored(row),
      payload: {
        event: 'alert',
        alert: {
          id: Number(row.alert_id),
          rule: row.rule as AlertRuleName,
          node: row.node,
          taskUpid: row.task_upid,
          rolloutId: row.rollout_id,
          title: row.title,
          text: row.text,
          createdAt: row.alert_created_at.toISOString(),
        },
      },
    };
  }

  async delivered(id: number, r: TryResult): Promise<void> {
    await this.settle(id, {
      status: 'delivered',
      http_status: r.httpStatus,
      last_error: null,
      next_attempt_at: null,
      delivered_at: sql<Date>`now()`,
    });
  }

  /** A failed try with another to come at `nextAttemptAt`. */
  async retrying(id: number, r: TryResult, nextAttemptAt: Date): Promise<void> {
    await this.settle(id, { http_status: r.httpStatus, last_error: r.error, next_attempt_at: nextAttemptAt });
  }

  /** The last try failed: no more. */
  async failed(id: number, r: TryResult): Promise<void> {
    await this.settle(id, { status: 'failed', http_status: r.httpStatus, last_error: r.error, next_attempt_at: null });
  }

  /** Pending deliveries, oldest first, with when each is due (re-enqueued from here after a Redis loss). */
  async pending(limit: number): Promise<{ id: number; dueAt: Date | null }[]> {
    const rows = await this.db
      .selectFrom('alert_delivery')
      .select(['id', 'next_attempt_at'])
      .where('status', '=', 'pending')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: Number(r.id), dueAt: r.next_attempt_at }));
  }

  private async settle(
    id: number,
    set: {
      status?: string;
      http_status: number | null;
      last_error: string | null;
      next_attempt_at: Date | null;
      delivered_at?: ReturnType<typeof sql<Date>>;
    },
  ): Promise<void> {
    await this.db
      .updateTable('alert_delivery')
      .set({ ...set, attempts: sql<number>`attempts + 1` })
      .where('id', '=', String(id))
      .where('status', '=', 'pending')
      .execute();
  }
}
