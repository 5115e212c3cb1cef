import { ConflictError, type PgPool, type Task } from '@pvefleet/db';
import type { Redis } from 'ioredis';
import { encodeLogMeta } from '../log/task-log-codec';

export const cancelChannel = (prefix: string) => `${prefix}:task-cancel`;

export interface CancelMessage {
  taskId: string;
  by: string;
}

/**
 * Cancels a task the way Proxmox stops one. A queued task is stopped right here and never runs; a
 * running one is flagged in Postgres and its worker is told over Redis (or notices the flag at its
 * next heartbeat), stops the remote command and ends the task `received interrupt`.
 */
export class TaskCancelService {
  constructor(
    private readonly pool: PgPool,
    private readonly publisher: Redis,
    private readonly prefix: string,
  ) {}

  async cancel(task: Task, by: string): Promise<'stopped' | 'stopping'> {
    if (task.status === 'queued' && (await this.stopQueued(task.id.toString(), by))) return 'stopped';
    const { rowCount } = await this.pool.query(
      `UPDATE task SET cancel_requested_at = COALESCE(cancel_requested_at, now()), cancelled_by = COALESCE(cancelled_by, $2)
        WHERE id = $1 AND status = 'running'`,
      [task.id.toString(), by],
    );
    if (rowCount !== 1) throw new ConflictError(`task ${task.upid} has already stopped`);
    const message: CancelMessage = { taskId: task.id.toString(), by };
    await this.publisher.publish(cancelChannel(this.prefix), JSON.stringify(message)).catch(() => {});
    return 'stopping';
  }

  /**
   * Status and log in one statement, so nobody sees the task stopped without its last lines. A task
   * waiting to run again (its worker died) already has lines: these follow them.
   */
  private async stopQueued(taskId: string, by: string): Promise<boolean> {
    const lines = [`cancelled by ${by} before it started`, 'TASK ERROR: received interrupt'];
    const now = Date.now();
    const { rowCount } = await this.pool.query(
      `WITH stopped AS (
         UPDATE task SET status = 'stopped', exitstatus = 'received interrupt', is_error = true, end_time = now(),
                cancel_requested_at = now(), cancelled_by = $2, log_lines = log_lines + $3
          WHERE id = $1 AND status = 'queued' RETURNING id, log_lines - $3 + 1 AS first_n
       )
       INSERT INTO task_log_chunk (task_id, first_n, line_count, text, meta)
       SELECT id, first_n, $3, $4, $5 FROM stopped`,
      [taskId, by, lines.length, lines.join('\n'), encodeLogMeta(lines.map(() => ({ stream: 'sys' as const, ts: now })))],
    );
    return rowCount === 1;
  }
}
