import { Inject, Injectable } from '@nestjs/common';
import { Db, type DB } from '@pvefleet/db';
import { sql, type Selectable } from 'kysely';
import type { AlertDraft } from '../alert-messages';
import type { AlertRuleName } from '../alert-rules';

type AlertRow = Selectable<DB['alert']>;
type DeliveryRow = Selectable<DB['alert_delivery']> & { channel: string };

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface StoredAlert extends AlertDraft {
  id: number;
  createdAt: Date;
}

export interface StoredDelivery {
  id: number;
  alertId: number;
  channelId: number;
  channel: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  httpStatus: number | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

export interface AlertFilter {
  rule?: AlertRuleName;
  node?: string;
  since?: Date;
}

/** A raised alert and the deliveries written with it (to enqueue once committed). */
export interface RaisedAlert {
  alertId: number;
  deliveryIds: number[];
}

/** Every statement on `alert` and `alert_delivery`. */
@Injectable()
export class AlertRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  /** The keys among `keys` already raised: the evaluator skips them before it reads more about them. */
  async existingKeys(keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await this.db.selectFrom('alert').select('dedupe_key').where('dedupe_key', 'in', keys).execute();
    return new Set(rows.map((r) => r.dedupe_key));
  }

  /**
   * The alert and one pending delivery per channel, in one transaction; nothing when its dedupe key
   * exists (another evaluator raised it first). `channelIds` empty: every enabled channel.
   */
  async raise(draft: AlertDraft, createdAt: Date, channelIds: readonly number[]): Promise<RaisedAlert | null> {
    return this.db.transaction().execute(async (trx) => {
      const alert = await trx
        .insertInto('alert')
        .values({
          rule: draft.rule,
          dedupe_key: draft.dedupeKey,
          node: draft.node,
          task_upid: draft.taskUpid,
          rollout_id: draft.rolloutId,
          title: draft.title,
          text: draft.text,
          created_at: createdAt,
        })
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!alert) return null;
      let channels = trx.selectFrom('alert_channel').where('enabled', '=', true);
      if (channelIds.length > 0) channels = channels.where('id', 'in', channelIds);
      const deliveries = await trx
        .insertInto('alert_delivery')
        .columns(['alert_id', 'channel_id'])
        .expression(channels.select(sql<string>`${alert.id}::bigint`.as('alert_id')).select('id'))
        .returning('id')
        .execute();
      return { alertId: Number(alert.id), deliveryIds: deliveries.map((d) => Number(d.id)) };
    });
  }

  /** Newest first, each with its deliveries. */
  async page(
    f: AlertFilter,
    start: number,
    limit: number,
  ): Promise<{ data: { alert: StoredAlert; deliveries: StoredDelivery[] }[]; total: number }> {
    let q = this.db.selectFrom('alert');
    if (f.rule) q = q.where('rule', '=', f.rule);
    if (f.node) q = q.where('node', '=', f.node);
    if (f.since) q = q.where('created_at', '>=', f.since);
    const [rows, counted] = await Promise.all([
      q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').offset(start).limit(limit).execute(),
      q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    const deliveries = rows.length
      ? await this.deliveries()
          .where(
            'd.alert_id',
            'in',
            rows.map((r) => r.id),
          )
          .orderBy('d.id')
          .execute()
      : [];
    return {
      data: rows.map((r) => ({ alert: toAlert(r), deliveries: deliveries.filter((d) => d.alert_id === r.id).map(toDelivery) })),
      total: Number(counted.n),
    };
  }

  /** A channel's delivery log, newest first. */
  async channelDeliveries(channelId: number, status: DeliveryStatus | undefined, start: number, limit: number) {
    let q = this.db.selectFrom('alert_delivery').where('channel_id', '=', channelId);
    if (status) q = q.where('status', '=', status);
    const [rows, counted] = await Promise.all([
      this.deliveries()
        .where('d.channel_id', '=', channelId)
        .$if(status !== undefined, (w) => w.where('d.status', '=', status ?? 'pending'))
        .orderBy('d.id', 'desc')
        .offset(start)
        .limit(limit)
        .execute(),
      q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { data: rows.map(toDelivery), total: Number(counted.n) };
  }

  private deliveries() {
    return this.db
      .selectFrom('alert_delivery as d')
      .innerJoin('alert_channel as c', 'c.id', 'd.channel_id')
      .selectAll('d')
      .select('c.name as channel');
  }
}

function toAlert(r: AlertRow): StoredAlert {
  return {
    id: Number(r.id),
    rule: r.rule as AlertRuleName,
    dedupeKey: r.dedupe_key,
    node: r.node,
    taskUpid: r.task_upid,
    rolloutId: r.rollout_id,
    title: r.title,
    text: r.text,
    createdAt: r.created_at,
  };
}

function toDelivery(r: DeliveryRow): StoredDelivery {
  return {
    id: Number(r.id),
    alertId: Number(r.alert_id),
    channelId: r.channel_id,
    channel: r.channel,
    status: r.status as DeliveryStatus,
    attempts: r.attempts,
    lastError: r.last_error,
    httpStatus: r.http_status,
    nextAttemptAt: r.next_attempt_at,
    deliveredAt: r.delivered_at,
    createdAt: r.created_at,
  };
}
