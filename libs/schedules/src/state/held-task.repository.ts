import { Inject, Injectable } from '@nestjs/common';
import { Db } from '@pvefleet/db';
import type { TaskJobData } from '@pvefleet/tasks';
import { sql } from 'kysely';
import type { HeldTask } from './task-release-gate';

/** The statements on held tasks (task.held, task.start_after): what is due, releasing, postponing. */
@Injectable()
export class HeldTaskRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  /** Held tasks whose start time has come, oldest first (the partial index `task_held_idx`). */
  async due(now: Date, limit: number): Promise<HeldTask[]> {
    const { rows } = await sql<HeldTask>`
      SELECT id::text AS id, node_id AS "nodeId", node, type, mutating, start_after AS "startAfter", schedule_run_id AS "scheduleRunId"
        FROM task
       WHERE held AND start_after <= ${now} AND status = 'queued'
       ORDER BY start_after, id
       LIMIT ${limit}`.execute(this.db);
    return rows;
  }

  /**
   * Un-holds these tasks and returns the ones this call released (another worker may have released
   * some a moment before: each is released once). The caller enqueues them; if it dies first, the
   * workers' re-enqueue sweep finds them queued and not held.
   */
  async release(ids: readonly string[]): Promise<TaskJobData[]> {
    if (!ids.length) return [];
    const { rows } = await sql<TaskJobData>`
      UPDATE task SET held = false
       WHERE id = ANY(${ids}::bigint[]) AND held AND status = 'queued'
      RETURNING id::text AS "taskId", node_id AS "nodeId", mutating`.execute(this.db);
    return rows;
  }

  /** Moves each task's start time (the gate said when to look again). */
  async postpone(until: ReadonlyMap<string, Date>): Promise<void> {
    if (!until.size) return;
    const ids = [...until.keys()];
    await sql`
      UPDATE task SET start_after = u.at
        FROM unnest(${ids}::bigint[], ${ids.map((id) => until.get(id))}::timestamptz[]) AS u(id, at)
       WHERE task.id = u.id AND task.held`.execute(this.db);
  }

  /** A held task cancelled (stopped while held) is held no more: it leaves the held index. */
  async clearStopped(): Promise<void> {
    await sql`UPDATE task SET held = false WHERE held AND status = 'stopped'`.execute(this.db);
  }
}
