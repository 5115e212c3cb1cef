import { Inject, Injectable } from '@nestjs/common';
import { Db, type DB } from '@pvefleet/db';
import { sql, type Kysely } from 'kysely';
import type { RunTaskCounts, ScheduleRunStatus, StoredScheduleRun } from './schedule-documents';

/** Rollout states after which a rollout does nothing more. */
const ROLLOUT_OVER = ['completed', 'halted', 'aborted', 'failed'];

/** Every statement on `schedule_run`, and the reads of a run's tasks. */
@Injectable()
export class ScheduleRunRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  /**
   * The run of this schedule at this fire time, if nobody recorded it yet: the unique key
   * (schedule_id, fire_at) makes this the one place where a fire time is decided, whoever fires it
   * (the BullMQ wake-up or any worker's sweep). Undefined when it already exists.
   */
  async claim(
    on: Kysely<DB>,
    scheduleId: number,
    fireAt: Date,
    status: ScheduleRunStatus,
    reason: string | null,
  ): Promise<number | undefined> {
    const row = await on
      .insertInto('schedule_run')
      .values({ schedule_id: scheduleId, fire_at: fireAt, status, reason })
      .onConflict((oc) => oc.columns(['schedule_id', 'fire_at']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return row?.id;
  }

  async finish(
    on: Kysely<DB>,
    id: number,
    status: ScheduleRunStatus,
    reason: string | null,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await on
      .updateTable('schedule_run')
      .set({ status, reason, detail: JSON.stringify(detail) })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Whether the schedule's latest started run is still at work: tasks of its own queued (held or not)
   * or running, its reconcile's tasks not all stopped, or its rollout not over.
   */
  async previousRunBusy(on: Kysely<DB>, scheduleId: number): Promise<boolean> {
    const { rows } = await sql<{ busy: boolean }>`
      WITH last AS (
        SELECT id, detail FROM schedule_run WHERE schedule_id = ${scheduleId} AND status = 'started' ORDER BY fire_at DESC LIMIT 1
      )
      SELECT EXISTS (SELECT 1 FROM task t, last WHERE t.schedule_run_id = last.id AND t.status <> 'stopped')
          OR EXISTS (SELECT 1 FROM task t, last WHERE t.reconcile_id = (last.detail->>'reconcileId')::int AND t.status <> 'stopped')
          OR EXISTS (SELECT 1 FROM rollout r, last WHERE r.id = (last.detail->>'rolloutId')::int AND r.status::text <> ALL(${ROLLOUT_OVER}))
          AS busy`.execute(on);
    return rows[0]?.busy ?? false;
  }

  /** The latest runs of a schedule, newest first, each with its tasks counted. */
  async latest(scheduleId: number, limit: number): Promise<(StoredScheduleRun & { tasks: RunTaskCounts })[]> {
    const { rows } = await sql<RunRow>`
      SELECT r.id, r.schedule_id, r.fire_at, r.status, r.reason, r.detail, r.created_at,
             count(t.id)::int AS total,
             count(t.id) FILTER (WHERE t.status = 'queued' AND t.held)::int AS held,
             count(t.id) FILTER (WHERE t.status = 'queued')::int AS queued,
             count(t.id) FILTER (WHERE t.status = 'running')::int AS running,
             count(t.id) FILTER (WHERE t.status = 'stopped')::int AS stopped,
             count(t.id) FILTER (WHERE t.status = 'stopped' AND NOT t.is_error)::int AS ok,
             count(t.id) FILTER (WHERE t.status = 'stopped' AND t.is_error)::int AS failed
        FROM (SELECT * FROM schedule_run WHERE schedule_id = ${scheduleId} ORDER BY fire_at DESC LIMIT ${limit}) r
        LEFT JOIN task t ON t.schedule_run_id = r.id
       GROUP BY r.id, r.schedule_id, r.fire_at, r.status, r.reason, r.detail, r.created_at
       ORDER BY r.fire_at DESC`.execute(this.db);
    return rows.map((r) => ({
      id: r.id,
      scheduleId: r.schedule_id,
      fireAt: r.fire_at,
      status: r.status as ScheduleRunStatus,
      reason: r.reason,
      detail: r.detail as Record<string, unknown>,
      createdAt: r.created_at,
      tasks: { total: r.total, held: r.held, queued: r.queued, running: r.running, stopped: r.stopped, ok: r.ok, failed: r.failed },
    }));
  }

  /** Ids of the schedule's tasks still held (to cancel when it is deleted). */
  async heldTaskUpids(scheduleId: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('task')
      .innerJoin('schedule_run', 'schedule_run.id', 'task.schedule_run_id')
      .select('task.upid')
      .where('schedule_run.schedule_id', '=', scheduleId)
      .where('task.held', '=', true)
      .where('task.status', '=', 'queued')
      .execute();
    return rows.map((r) => r.upid);
  }
}

interface RunRow extends RunTaskCounts {
  id: number;
  schedule_id: number;
  fire_at: Date;
  status: string;
  reason: string | null;
  detail: unknown;
  created_at: Date;
}
