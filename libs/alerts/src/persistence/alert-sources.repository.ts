import { Inject, Injectable } from '@nestjs/common';
import { Db } from '@pvefleet/db';
import { sql } from 'kysely';
import type { ExpiringCertificate, FailedTask, HaltedRollout, UnreachableNode } from '../alert-messages';

/** A page of rows read from a cursor, and the position the cursor may move to. */
export interface SourcePage<T> {
  rows: T[];
  /** The latest position read (an end time, a facts time), or null when nothing was there. */
  reachedAt: Date | null;
}

/** Rows read per statement; a cursor pass reads pages until one is short. */
const PAGE = 500;

/**
 * What the alert rules read from the other aggregates (tasks, rollouts, nodes): read-only, kept here
 * so the evaluator holds no SQL. Task and rollout reads go by end time from a cursor (Postgres time).
 */
@Injectable()
export class AlertSourcesRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  /** Postgres' time now: where a cursor starts (end times are Postgres times). */
  async databaseNow(): Promise<Date> {
    const r = await sql<{ now: Date }>`select now() as now`.execute(this.db);
    return r.rows[0].now;
  }

  /**
   * Failed tasks that ended after `after` (through `task_error_end_idx`), cancelled ones aside:
   * `types` keeps only those types, `scheduledOnly` only tasks a schedule created, `exceptTypes` drops types.
   */
  async failedTasks(
    after: Date,
    f: { types?: readonly string[]; exceptTypes?: readonly string[]; scheduledOnly?: boolean },
  ): Promise<SourcePage<FailedTask>> {
    const { types, exceptTypes, scheduledOnly } = f;
    const rows: FailedTask[] = [];
    let from = { end: after, id: '0' };
    let reachedAt: Date | null = null;
    for (;;) {
      const page = await this.db
        .selectFrom('task')
        .select(['id', 'upid', 'node', 'type', 'exitstatus', 'error_class', 'end_time'])
        .where('is_error', '=', true)
        .where(sql<boolean>`(end_time, id) > (${from.end}, ${from.id}::bigint)`)
        .where((eb) => eb.or([eb('error_class', 'is', null), eb('error_class', '!=', 'cancelled')]))
        .$if(types !== undefined, (q) => q.where('type', 'in', [...(types ?? [])]))
        .$if(exceptTypes !== undefined && exceptTypes.length > 0, (q) => q.where('type', 'not in', [...(exceptTypes ?? [])]))
        .$if(scheduledOnly === true, (q) => q.where('schedule_run_id', 'is not', null))
        .orderBy('end_time')
        .orderBy('id')
        .limit(PAGE)
        .execute();
      for (const r of page) {
        rows.push({ node: r.node, upid: r.upid, type: r.type, exitstatus: r.exitstatus ?? 'error', errorClass: r.error_class });
      }
      const last = page.at(-1);
      if (last?.end_time) {
        reachedAt = last.end_time;
        from = { end: last.end_time, id: last.id };
      }
      if (page.length < PAGE) return { rows, reachedAt };
    }
  }

  /** Rollouts that ended halted after `after`, with their failed nodes. */
  async haltedRollouts(after: Date): Promise<SourcePage<HaltedRollout>> {
    const rollouts = await this.db
      .selectFrom('rollout')
      .select(['id', 'reason', 'ended_at'])
      .where('status', '=', 'halted')
      .where('ended_at', '>', after)
      .orderBy('ended_at')
      .execute();
    if (rollouts.length === 0) return { rows: [], reachedAt: null };
    const failed = await this.db
      .selectFrom('rollout_node')
      .select(['rollout_id', 'node', 'task_upid'])
      .where(
        'rollout_id',
        'in',
        rollouts.map((r) => r.id),
      )
      .where('state', '=', 'failed')
      .orderBy('ended_at')
      .execute();
    return {
      rows: rollouts.map((r) => {
        const mine = failed.filter((n) => n.rollout_id === r.id);
        return { id: r.id, reason: r.reason, failedNodes: mine.map((n) => n.node), lastFailedUpid: mine.at(-1)?.task_upid ?? null };
      }),
      reachedAt: rollouts[rollouts.length - 1].ended_at,
    };
  }

  /** Nodes whose last facts read failed and whose last successful one (or creation) is before `before`. */
  async unreachableNodes(before: Date): Promise<(Omit<UnreachableNode, 'lastFactsUpid'> & { createdAt: Date })[]> {
    const rows = await this.db
      .selectFrom('node')
      .select(['name', 'facts_error', 'facts_at', 'created_at'])
      .where('facts_error', 'is not', null)
      .where(sql<boolean>`coalesce(facts_at, created_at) < ${before}`)
      .orderBy('name')
      .execute();
    return rows.map((r) => ({ node: r.name, error: r.facts_error ?? '', lastSuccessAt: r.facts_at, createdAt: r.created_at }));
  }

  /**
   * Nodes whose certificate (from their facts) ends before `notAfterBefore`: all of them, or only
   * those whose facts were stored after `factsAfter`. Also the latest facts time among the nodes read.
   */
  async expiringCertificates(
    notAfterBefore: Date,
    factsAfter: Date | null,
  ): Promise<SourcePage<Omit<ExpiringCertificate, 'lastRenewalUpid'>>> {
    const notAfter = sql<string>`(facts->'certificate'->>'notAfter')`;
    const since = (q: ReturnType<typeof this.nodes>) => (factsAfter ? q.where('facts_at', '>', factsAfter) : q);
    const [rows, reached] = await Promise.all([
      since(this.nodes())
        .select(['name', sql<string>`${notAfter}`.as('not_after')])
        .where(sql<boolean>`jsonb_typeof(facts->'certificate'->'notAfter') = 'number'`)
        .where(sql<boolean>`${notAfter}::numeric < ${Math.floor(notAfterBefore.getTime() / 1000)}`)
        .orderBy('name')
        .execute(),
      since(this.nodes())
        .select((eb) => eb.fn.max('facts_at').as('at'))
        .executeTakeFirst(),
    ]);
    return { rows: rows.map((r) => ({ node: r.name, notAfter: Number(r.not_after) })), reachedAt: reached?.at ?? null };
  }

  /** The latest task of these types on each node (a renewal, a facts read), by node. */
  async latestTasks(nodes: readonly string[], types: readonly string[], errorsOnly: boolean): Promise<Map<string, string>> {
    if (nodes.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('task')
      .distinctOn('node')
      .select(['node', 'upid'])
      .where('node', 'in', [...nodes])
      .where('type', 'in', [...types])
      .$if(errorsOnly, (q) => q.where('is_error', '=', true))
      .orderBy('node')
      .orderBy('start_time', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return new Map(rows.map((r) => [r.node, r.upid]));
  }

  private nodes() {
    return this.db.selectFrom('node');
  }
}
