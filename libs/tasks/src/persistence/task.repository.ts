import { Inject, Injectable } from '@nestjs/common';
import { ConflictError, Db, type DB, type Task } from '@pvefleet/db';
import { Kysely, sql, type QueryResult, type RawBuilder, type Selectable } from 'kysely';
import type { PoolClient } from 'pg';

/**
 * Where a statement of a caller's transaction runs: a Kysely transaction, or a pg client inside
 * BEGIN … COMMIT (the rollouts' transactions, until they move to Kysely).
 */
export type SqlExecutor = Kysely<DB> | PoolClient;

export interface TaskFilter {
  node?: string;
  type?: string;
  status?: 'queued' | 'running' | 'stopped';
  user?: string;
  since?: Date;
  until?: Date;
  errors?: boolean;
  scheduleRun?: number;
  start: number;
  limit: number;
}

/** A task row to insert: everything but what Postgres fills in. */
export interface NewTaskRow {
  id: string;
  upid: string;
  node: string;
  nodeId: number | null;
  type: string;
  objectId: string;
  mutating: boolean;
  plan: unknown;
  /** A scheduled task's start time: it is written held (no worker takes it until released). */
  startAfter: Date | null;
}

/** The columns shared by every task of one request. */
export interface NewTaskBatch {
  user: string;
  startTime: Date;
  params: unknown;
  connectWaitMs: number | null;
  rolloutId: number | null;
  /** The reconcile that asked for these fixes, and the desired-state field they converge. */
  reconcileId: number | null;
  desiredField: string | null;
  /** The schedule run that created these tasks. */
  scheduleRunId: number | null;
}

/** A client's Idempotency-Key for one request, with a digest of what the request asked for. */
export interface IdempotencyClaim {
  user: string;
  key: string;
  requestHash: string;
}

/**
 * `total` is counted exactly up to this many tasks. Past it an exact count means visiting every
 * matching index entry (a million for an unfiltered list: 100+ ms), so the list says
 * `totalExact: false` and `total` is Postgres's planner estimate (never below the cap + 1).
 */
export const EXACT_TOTAL_CAP = 10_000;

/**
 * The submitting side's SQL on `task` and `idempotency_key`: creating tasks in the caller's
 * transaction, reading them back (one, or a filtered page with its total), and cancelling them.
 */
@Injectable()
export class TaskRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  /** Task ids for `count` new tasks, taken before their rows are written (the UPIDs carry them). */
  async nextIds(on: SqlExecutor, count: number): Promise<string[]> {
    const { rows } = await this.run(
      on,
      sql<{ id: string }>`SELECT nextval(pg_get_serial_sequence('task', 'id'))::text AS id FROM generate_series(1, ${count})`,
    );
    return rows.map((r) => r.id);
  }

  /** Writes a request's tasks in one statement. */
  async insert(on: SqlExecutor, batch: NewTaskBatch, tasks: NewTaskRow[]): Promise<void> {
    await this.run(
      on,
      sql`
        INSERT INTO task (id, upid, node, node_id, type, object_id, "user", mutating, start_time, params, plan, connect_wait_ms, rollout_id,
                          reconcile_id, desired_field, schedule_run_id, start_after, held)
        SELECT u.id, u.upid, u.node, u.node_id, u.type, u.object_id, ${batch.user}, u.mutating, ${batch.startTime},
               ${JSON.stringify(batch.params ?? {})}::jsonb, u.plan, ${batch.connectWaitMs}::int, ${batch.rolloutId}::int,
               ${batch.reconcileId}::int, ${batch.desiredField}::text, ${batch.scheduleRunId}::int, u.start_after, u.start_after IS NOT NULL
          FROM unnest(${tasks.map((t) => t.id)}::bigint[], ${tasks.map((t) => t.upid)}::text[], ${tasks.map((t) => t.node)}::text[],
                      ${tasks.map((t) => t.nodeId)}::int[], ${tasks.map((t) => JSON.stringify(t.plan))}::jsonb[],
                      ${tasks.map((t) => t.mutating)}::bool[], ${tasks.map((t) => t.type)}::text[], ${tasks.map((t) => t.objectId)}::text[],
                      ${tasks.map((t) => t.startAfter)}::timestamptz[])
            AS u(id, upid, node, node_id, plan, mutating, type, object_id, start_after)`,
    );
  }

  /**
   * Claims an Idempotency-Key inside the transaction that creates the work: the key row and the work
   * commit together or not at all. A second request with the same key waits on the first's row (its
   * primary key) until that commits, then gets the stored answer. Undefined when the key is new.
   */
  async claimIdempotencyKey<T>(trx: Kysely<DB>, claim: IdempotencyClaim): Promise<T | undefined> {
    const inserted = await trx
      .insertInto('idempotency_key')
      .values({ user: claim.user, key: claim.key, request_hash: claim.requestHash, response: 'null' })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (inserted.numInsertedOrUpdatedRows === 1n) return undefined;
    const earlier = await trx
      .selectFrom('idempotency_key')
      .select(['request_hash', 'response'])
      .where('user', '=', claim.user)
      .where('key', '=', claim.key)
      .executeTakeFirstOrThrow();
    if (earlier.request_hash !== claim.requestHash) {
      throw new ConflictError(`Idempotency-Key '${claim.key}' was already used for a different request`);
    }
    return earlier.response as T;
  }

  async recordIdempotentAnswer(trx: Kysely<DB>, claim: IdempotencyClaim, response: unknown): Promise<void> {
    await trx
      .updateTable('idempotency_key')
      .set({ response: JSON.stringify(response) })
      .where('user', '=', claim.user)
      .where('key', '=', claim.key)
      .execute();
  }

  async findByUpid(upid: string): Promise<Task | undefined> {
    const row = await this.db.selectFrom('task').selectAll().where('upid', '=', upid).executeTakeFirst();
    return row && toTask(row);
  }

  /** A page of the list and its total (exact up to EXACT_TOTAL_CAP, the planner's estimate beyond). */
  async list(f: TaskFilter): Promise<{ total: number; totalExact: boolean; data: Task[] }> {
    const where = whereOf(f);
    const [data, counted] = await Promise.all([this.page(where, f.start, f.limit), this.cappedCount(where)]);
    if (counted <= EXACT_TOTAL_CAP) return { total: counted, totalExact: true, data };
    return { total: Math.max(counted, await this.estimate(where)), totalExact: false, data };
  }

  /**
   * Offset paging, kept because it is Proxmox's API (`start`, `limit`), made cheap: the inner query
   * walks only the index (an index-only scan: OFFSET skips index entries, not table rows), and
   * the outer one reads the `limit` rows it picked. A page at start=10,000 costs ~10,000 index
   * entries instead of ~10,000 table rows.
   */
  private async page(where: RawBuilder<unknown>, start: number, limit: number): Promise<Task[]> {
    const { rows } = await sql<DbTaskRow>`
      SELECT t.* FROM task t
       WHERE t.id IN (SELECT id FROM task WHERE ${where} ORDER BY start_time DESC, id DESC LIMIT ${limit} OFFSET ${start})
       ORDER BY t.start_time DESC, t.id DESC`.execute(this.db);
    return rows.map(toTask);
  }

  /**
   * Exact count up to the cap + 1: at most ~10,000 index entries, 1-3 ms. The ORDER BY makes the
   * planner walk the index the page walks; without it, it may pick any index that covers the
   * filter (Postgres 18 even skip-scans an unrelated one), 3× slower.
   */
  private async cappedCount(where: RawBuilder<unknown>): Promise<number> {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n
        FROM (SELECT 1 FROM task WHERE ${where} ORDER BY start_time DESC, id DESC LIMIT ${sql.lit(EXACT_TOTAL_CAP + 1)}) capped`.execute(
      this.db,
    );
    return rows[0].n;
  }

  /** The planner's row estimate (from ANALYZE statistics; no rows visited). */
  private async estimate(where: RawBuilder<unknown>): Promise<number> {
    const { rows } = await sql<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>`
      EXPLAIN (FORMAT JSON) SELECT 1 FROM task WHERE ${where}`.execute(this.db);
    return Math.round(rows[0]['QUERY PLAN'][0].Plan['Plan Rows']);
  }

  /** Flags a running task for cancelling; false when it is not running (any more). */
  async requestCancel(taskId: string, by: string): Promise<boolean> {
    const { numUpdatedRows } = await this.db
      .updateTable('task')
      .set({
        cancel_requested_at: sql`COALESCE(cancel_requested_at, now())`,
        cancelled_by: sql`COALESCE(cancelled_by, ${by})`,
      })
      .where('id', '=', taskId)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return numUpdatedRows === 1n;
  }

  /**
   * Stops a task that has not started, with its last log lines, in one statement: nobody sees it
   * stopped without them. A task waiting to run again (its worker died) already has lines: these
   * follow them. A held (scheduled) task is held no more. False when it is no longer queued.
   */
  async stopQueued(taskId: string, by: string, lines: { text: string; meta: Buffer; count: number }): Promise<boolean> {
    const { numAffectedRows } = await sql`
      WITH stopped AS (
        UPDATE task SET status = 'stopped', exitstatus = 'received interrupt', is_error = true, error_class = 'cancelled',
               end_time = now(), cancel_requested_at = now(), cancelled_by = ${by}, log_lines = log_lines + ${lines.count},
               held = false
         WHERE id = ${taskId} AND status = 'queued' RETURNING id, log_lines - ${lines.count} + 1 AS first_n
      )
      INSERT INTO task_log_chunk (task_id, first_n, line_count, text, meta)
      SELECT id, first_n, ${lines.count}, ${lines.text}, ${lines.meta} FROM stopped`.execute(this.db);
    return numAffectedRows === 1n;
  }

  /** A statement on the caller's executor: run by Kysely, or compiled here and sent on the pg client. */
  private async run<R>(on: SqlExecutor, query: RawBuilder<R>): Promise<QueryResult<R>> {
    if (on instanceof Kysely) return query.execute(on);
    const compiled = query.compile(this.db);
    const { rows } = await on.query(compiled.sql, [...compiled.parameters]);
    return { rows: rows as R[] };
  }
}

type DbTaskRow = Selectable<DB['task']>;

/**
 * The filter as SQL. Every shape the API offers is served by an index ending in
 * (start_time DESC, id DESC), the list's order (prisma/schema.prisma and the migration
 * 20261123085011_task_history_indexes say which): node, type and user have composite ones, errors
 * and queued/running tasks small partial ones, time ranges the plain time index.
 */
function whereOf(f: TaskFilter): RawBuilder<unknown> {
  const conds: RawBuilder<unknown>[] = [];
  if (f.node !== undefined) conds.push(sql`node = ${f.node}`);
  if (f.type !== undefined) conds.push(sql`type = ${f.type}`);
  if (f.status !== undefined) conds.push(sql`status = ${f.status}::"TaskStatus"`);
  if (f.user !== undefined) conds.push(sql`"user" = ${f.user}`);
  // Written as the partial index's predicate, so the planner can use it.
  if (f.errors) conds.push(sql`is_error`);
  if (f.scheduleRun !== undefined) conds.push(sql`schedule_run_id = ${f.scheduleRun}`);
  if (f.since) conds.push(sql`start_time >= ${f.since}`);
  if (f.until) conds.push(sql`start_time <= ${f.until}`);
  return conds.length ? sql.join(conds, sql` AND `) : sql`true`;
}

function toTask(r: DbTaskRow): Task {
  return {
    id: BigInt(r.id),
    upid: r.upid,
    node: r.node,
    nodeId: r.node_id,
    type: r.type,
    objectId: r.object_id,
    user: r.user,
    status: r.status,
    exitstatus: r.exitstatus,
    isError: r.is_error,
    errorClass: r.error_class,
    mutating: r.mutating,
    startTime: r.start_time,
    startedAt: r.started_at,
    endTime: r.end_time,
    params: r.params as Task['params'],
    plan: r.plan as Task['plan'],
    result: r.result as Task['result'],
    cancelRequestedAt: r.cancel_requested_at,
    cancelledBy: r.cancelled_by,
    workerId: r.worker_id,
    heartbeatAt: r.heartbeat_at,
    logLines: r.log_lines,
    connectWaitMs: r.connect_wait_ms,
    attempt: r.attempt,
    rolloutId: r.rollout_id,
    reconcileId: r.reconcile_id,
    desiredField: r.desired_field,
    held: r.held,
    startAfter: r.start_after,
    scheduleRunId: r.schedule_run_id,
  };
}
