import type { PgPool } from '@pvefleet/db';
import type { TaskLogWriter } from '../log/task-log.writer';
import type { TaskQueue } from '../task-queue';
import type { TaskStore } from '../task-store';
import { LEASE_TTL_MS } from './task-dispatcher';
import type { RunningTasks } from './running-tasks';

export const HEARTBEAT_MS = 5_000;
/** A running task whose worker has not beaten for this long is an orphan. */
export const ORPHAN_AFTER_MS = LEASE_TTL_MS;
/** A queued task this old without a worker picking it up is re-enqueued (Redis may have lost it). */
export const REQUEUE_AFTER_MS = 30_000;

/**
 * The worker's background duties that keep Postgres the truth: heartbeats for running tasks (and
 * their cancel requests), ending tasks whose worker died, and re-enqueueing tasks Redis forgot.
 */
export class TaskMaintenance {
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly pool: PgPool,
    private readonly store: TaskStore,
    private readonly queue: TaskQueue,
    private readonly logs: TaskLogWriter,
    private readonly running: RunningTasks,
    private readonly workerId: string,
  ) {}

  start(): void {
    const every = (ms: number, fn: () => Promise<unknown>) => {
      const t = setInterval(() => void fn().catch(() => {}), ms);
      t.unref();
      this.timers.push(t);
    };
    every(HEARTBEAT_MS, () => this.beat());
    every(ORPHAN_AFTER_MS / 2, () => this.reapOrphans());
    every(REQUEUE_AFTER_MS / 2, () => this.requeueForgotten());
  }

  stop(): void {
    this.timers.forEach(clearInterval);
    this.timers = [];
  }

  async beat(): Promise<void> {
    for (const { id, by } of await this.store.heartbeat(this.running.ids(), LEASE_TTL_MS)) this.running.cancel(id, by ?? undefined);
  }

  /** Ends tasks whose worker died mid-run. Their effect on the node is unknown, and the log says so. */
  async reapOrphans(): Promise<number> {
    let reaped = 0;
    for (const orphan of await this.store.findOrphans(ORPHAN_AFTER_MS)) {
      // Take the orphan over atomically, so two reapers never both end it.
      const { rowCount } = await this.pool.query(
        `UPDATE task SET worker_id = $2, heartbeat_at = now()
          WHERE id = $1 AND status = 'running' AND heartbeat_at < now() - $3 * interval '1 millisecond'`,
        [orphan.id, this.workerId, ORPHAN_AFTER_MS],
      );
      if (rowCount !== 1) continue;
      const log = this.logs.log(orphan.id, (await this.store.logLength(orphan.id)) + 1);
      log.write('sys', `worker ${orphan.workerId ?? '?'} stopped while running this task; what it did on the node is unknown`);
      await log.complete({ exitstatus: 'interrupted: worker lost during task', isError: true });
      reaped++;
    }
    return reaped;
  }

  async requeueForgotten(): Promise<number> {
    const stale = await this.store.findStaleQueued(REQUEUE_AFTER_MS);
    if (stale.length) await this.queue.enqueue(stale);
    return stale.length;
  }
}
