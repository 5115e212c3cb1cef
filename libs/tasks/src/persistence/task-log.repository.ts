import { Inject, Injectable } from '@nestjs/common';
import { Db, PgPool } from '@pvefleet/db';
import type { ErrorClass } from '@pvefleet/errors';
import { sql, type RawBuilder } from 'kysely';

/** A chunk never holds more lines than this, so a page read touches a bounded range of rows. */
export const MAX_CHUNK_LINES = 10_000;

/** Lines of one task's log as stored: one row per task per flush. */
export interface LogChunkRow {
  taskId: string;
  firstN: number;
  lineCount: number;
  text: string;
  /** Per line stream and time (task-log-codec.ts). */
  meta: Buffer;
}

/** A task's ending, written in the same statement as its last lines. */
export interface TaskEndRow {
  id: string;
  exitstatus: string;
  is_error: boolean;
  error_class: ErrorClass | null;
  end_time: string;
  log_lines: number;
  result: Record<string, unknown> | null;
}

export interface StoredChunk {
  first_n: number;
  line_count: number;
  text: string;
  meta: Buffer;
}

/**
 * The last line number in a task's log (0 when it has none): the one place this is computed. Chunks
 * never overlap, so the one that starts last ends last: one index entry read, however long the log.
 */
export const lastLogLine = (taskId: RawBuilder<unknown>) =>
  sql<number>`COALESCE((SELECT first_n + line_count - 1 FROM task_log_chunk WHERE task_id = ${taskId} ORDER BY first_n DESC LIMIT 1), 0)`;

/**
 * The flush, as constant text sent straight to the pool: it runs for every batch of every task's
 * lines, and building it through Kysely's \`sql\` template cost some 25 µs of CPU per statement
 * (110 vs 86 µs for a 50-row batch on the 2-core bench machine): a measurable part of a task's cost.
 */
const STORE_SQL = `
  WITH chunks AS (
    INSERT INTO task_log_chunk (task_id, first_n, line_count, text, meta)
    SELECT * FROM unnest($1::bigint[], $2::int[], $3::int[], $4::text[], $5::bytea[])
    RETURNING 1
  ), done AS (
    SELECT * FROM jsonb_to_recordset($6::jsonb)
      AS d(id bigint, exitstatus text, is_error boolean, error_class text, end_time timestamptz, log_lines int, result jsonb)
  ), stopped AS (
    UPDATE task t
       SET status = 'stopped', exitstatus = d.exitstatus, is_error = d.is_error, error_class = d.error_class,
           end_time = d.end_time, log_lines = d.log_lines, result = COALESCE(d.result, t.result), heartbeat_at = NULL
      FROM done d
     WHERE t.id = d.id AND t.status <> 'stopped'
    RETURNING t.id
  ), released AS (
    UPDATE node SET lease_task_id = NULL, lease_expires_at = NULL
     WHERE lease_task_id IN (SELECT id FROM done)
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM chunks) AS chunks, (SELECT count(*) FROM stopped) AS stopped,
         (SELECT count(*) FROM released) AS released`;

/** All SQL on `task_log_chunk`, and the log flush that also ends tasks and frees their leases. */
@Injectable()
export class TaskLogRepository {
  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(PgPool) private readonly pool: PgPool,
  ) {}

  /**
   * One statement for a whole flush: every task's new lines, the tasks that end with them (status,
   * exit status, error class) and their node leases freed. Whoever sees a task stopped also sees its
   * whole log.
   */
  async store(chunks: LogChunkRow[], ends: TaskEndRow[]): Promise<void> {
    await this.pool.query(STORE_SQL, [
      chunks.map((c) => c.taskId),
      chunks.map((c) => c.firstN),
      chunks.map((c) => c.lineCount),
      chunks.map((c) => c.text),
      chunks.map((c) => c.meta),
      JSON.stringify(ends),
    ]);
  }

  /**
   * The chunks holding lines `fromN` .. `toN`. The lower bound on first_n keeps this an index range
   * scan, however long the log. The last condition is checked on the row before its text is
   * decompressed, so chunks of that range that end before the page cost nothing.
   */
  async chunks(taskId: string, fromN: number, toN: number): Promise<StoredChunk[]> {
    return this.db
      .selectFrom('task_log_chunk')
      .select(['first_n', 'line_count', 'text', 'meta'])
      .where('task_id', '=', taskId)
      .where('first_n', '<=', toN)
      .where('first_n', '>', fromN - MAX_CHUNK_LINES)
      .where(sql<boolean>`first_n + line_count > ${fromN}`)
      .orderBy('first_n')
      .execute();
  }

  /** Number of lines persisted so far (for a running task, its log so far). */
  async lineCount(taskId: string): Promise<number> {
    const { rows } = await sql<{ last: number }>`SELECT ${lastLogLine(sql`${taskId}::bigint`)} AS last`.execute(this.db);
    return rows[0]?.last ?? 0;
  }
}
