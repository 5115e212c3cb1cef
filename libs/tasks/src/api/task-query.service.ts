import { NotFoundError, type PgPool, type PrismaService, type Task } from '@pvefleet/db';
import type { TaskLogReader, LogLine } from '../log/task-log.reader';
import { parseUpid } from '../upid';

export interface TaskFilter {
  node?: string;
  type?: string;
  status?: 'queued' | 'running' | 'stopped';
  user?: string;
  since?: Date;
  until?: Date;
  errors?: boolean;
  start: number;
  limit: number;
}

/**
 * `total` is counted exactly up to this many tasks. Past it an exact count means visiting every
 * matching index entry (a million for an unfiltered list: 100+ ms), so the list says
 * `totalExact: false` and `total` is Postgres's planner estimate (never below the cap + 1).
 */
export const EXACT_TOTAL_CAP = 10_000;

interface TaskRow {
  id: string;
  upid: string;
  node: string;
  node_id: number | null;
  type: string;
  object_id: string;
  user: string;
  status: Task['status'];
  exitstatus: string | null;
  is_error: boolean;
  error_class: string | null;
  mutating: boolean;
  start_time: Date;
  started_at: Date | null;
  end_time: Date | null;
  params: Task['params'];
  plan: Task['plan'];
  result: Task['result'];
  cancel_requested_at: Date | null;
  cancelled_by: string | null;
  worker_id: string | null;
  heartbeat_at: Date | null;
  log_lines: number;
  connect_wait_ms: number | null;
  attempt: number;
}

function toTask(r: TaskRow): Task {
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
    params: r.params,
    plan: r.plan,
    result: r.result,
    cancelRequestedAt: r.cancel_requested_at,
    cancelledBy: r.cancelled_by,
    workerId: r.worker_id,
    heartbeatAt: r.heartbeat_at,
    logLines: r.log_lines,
    connectWaitMs: r.connect_wait_ms,
    attempt: r.attempt,
  };
}

/**
 * The filter as SQL. Every shape the API offers is served by an index ending in
 * (start_time DESC, id DESC), the list's order (prisma/schema.prisma and the migration
 * 20261123085011_task_history_indexes say which): node, type and user have composite ones, errors
 * and queued/running tasks small partial ones, time ranges the plain time index.
 */
function whereOf(f: TaskFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const conds: string[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    conds.push(sql.replace('?', `$${params.length}`));
  };
  if (f.node !== undefined) add('node = ?', f.node);
  if (f.type !== undefined) add('type = ?', f.type);
  if (f.status !== undefined) add('status = ?::"TaskStatus"', f.status);
  if (f.user !== undefined) add('"user" = ?', f.user);
  // Written as the partial index's predicate, so the planner can use it.
  if (f.errors) conds.push('is_error');
  if (f.since) add('start_time >= ?', f.since);
  if (f.until) add('start_time <= ?', f.until);
  return { sql: conds.length ? conds.join(' AND ') : 'true', params };
}

/** Task history: lists with filters and a total, single tasks by UPID, and log pages. */
export class TaskQueryService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly reader: TaskLogReader,
    // Lists are hand-written SQL on the process's one pool.
    private readonly pool: PgPool,
  ) {}

  async list(f: TaskFilter): Promise<{ total: number; totalExact: boolean; data: Task[] }> {
    const w = whereOf(f);
    const [data, counted] = await Promise.all([this.page(w, f.start, f.limit), this.cappedCount(w)]);
    if (counted <= EXACT_TOTAL_CAP) return { total: counted, totalExact: true, data };
    return { total: Math.max(counted, await this.estimate(w)), totalExact: false, data };
  }

  /**
   * Offset paging, kept because it is Proxmox's API (`start`, `limit`), made cheap: the inner query
   * walks only the index (an index-only scan: OFFSET skips index entries, not table rows), and
   * the outer one reads the `limit` rows it picked. A page at start=10,000 costs ~10,000 index
   * entries instead of ~10,000 table rows.
   */
  private async page(w: { sql: string; params: unknown[] }, start: number, limit: number): Promise<Task[]> {
    const n = w.params.length;
    const { rows } = await this.pool.query<TaskRow>(
      `SELECT t.* FROM task t
        WHERE t.id IN (SELECT id FROM task WHERE ${w.sql} ORDER BY start_time DESC, id DESC LIMIT $${n + 1} OFFSET $${n + 2})
        ORDER BY t.start_time DESC, t.id DESC`,
      [...w.params, limit, start],
    );
    return rows.map(toTask);
  }

  /**
   * Exact count up to the cap + 1: at most ~10,000 index entries, 1-3 ms. The ORDER BY makes the
   * planner walk the index the page walks; without it, it may pick any index that covers the
   * filter (Postgres 18 even skip-scans an unrelated one), 3× slower.
   */
  private async cappedCount(w: { sql: string; params: unknown[] }): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM task WHERE ${w.sql} ORDER BY start_time DESC, id DESC LIMIT ${EXACT_TOTAL_CAP + 1}) capped`,
      w.params,
    );
    return rows[0].n;
  }

  /** The planner's row estimate (from ANALYZE statistics; no rows visited). */
  private async estimate(w: { sql: string; params: unknown[] }): Promise<number> {
    const { rows } = await this.pool.query<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(
      `EXPLAIN (FORMAT JSON) SELECT 1 FROM task WHERE ${w.sql}`,
      w.params,
    );
    return Math.round(rows[0]['QUERY PLAN'][0].Plan['Plan Rows']);
  }

  async get(upid: string): Promise<Task> {
    if (!parseUpid(upid)) throw new NotFoundError(`task '${upid}' does not exist`);
    const task = await this.prisma.task.findUnique({ where: { upid } });
    if (!task) throw new NotFoundError(`task '${upid}' does not exist`);
    return task;
  }

  /** Proxmox's paging: `start` is 0-based, lines come back numbered from 1. */
  async log(task: Task, start: number, limit: number): Promise<{ total: number; lines: LogLine[] }> {
    const id = task.id.toString();
    const [total, lines] = await Promise.all([
      task.status === 'stopped' ? Promise.resolve(task.logLines) : this.reader.count(id),
      this.reader.read(id, start + 1, limit),
    ]);
    return { total, lines };
  }
}
