import type { PgPool } from '@pvefleet/db';
import type { TaskLogWriter } from '../log/task-log.writer';
import { QueueEpoch } from '../queue-epoch';
import type { TaskQueue } from '../task-queue';
import type { TaskStore } from '../task-store';
import type { RunningTasks } from './running-tasks';

/** A queued task this old without a worker picking it up is re-enqueued (Redis may have lost it). */
export const REQUEUE_AFTER_MS = 30_000;
/** How often a worker looks for the queue's marker in Redis (a flushed or replaced Redis lacks it). */
const EPOCH_CHECK_MS = 2_000;

/**
 * The worker's background duties that keep Postgres the truth: heartbeats for running tasks (and
 * their cancel requests), ending tasks whose worker died, and re-enqueueing tasks Redis forgot.
 */
export class TaskMaintenance {
  private timers: NodeJS.Timeout[] = [];
  private readonly epoch: QueueEpoch;

  constructor(
    private readonly pool: PgPool,
    private readonly store: TaskStore,
    private readonly queue: TaskQueue,
    private readonly logs: TaskLogWriter,
    private readonly running: RunningTasks,
    private readonly workerId: string,
    /** Heartbeats keep running tasks (and their node leases) alive this long; silence this long makes an orphan. */
    private readonly leaseMs: number,
  ) {
    this.epoch = new QueueEpoch(queue);
  }

  start(): void {
    const every = (ms: number, fn: () => Promise<unknown>) => {
      const t = setInterval(() => void fn().catch(() => {}), ms);
      t.unref();
      this.timers.push(t);
    };
    every(Math.max(200, Math.floor(this.leaseMs / 6)), () => this.beat());
    every(Math.max(500, Math.floor(this.leaseMs / 2)), () => this.reapOrphans());
    every(REQUEUE_AFTER_MS / 2, () => this.requeueForgotten());
    every(EPOCH_CHECK_MS, () => this.requeueIfRedisLost());
  }

  stop(): void {
    this.timers.forEach(clearInterval);
    this.timers = [];
  }

  async beat(): Promise<void> {
    for (const { id, by } of await this.store.heartbeat(this.running.ids(), this.leaseMs)) this.running.cancel(id, by ?? undefined);
  }

  /** Ends tasks whose worker died mid-run. Their effect on the node is unknown, and the log says so. */
  async reapOrphans(): Promise<number> {
    let reaped = 0;
    for (const orphan of await this.store.findOrphans(this.leaseMs, this.running.ids())) {
      // Read again just before ending it: the task may have started here since the scan.
      if (this.running.has(orphan.id)) continue;
      // Take the orphan over atomically, so two reapers never both end it.
      const { rowCount } = await this.pool.query(
        `UPDATE task SET worker_id = $2, heartbeat_at = now()
          WHERE id = $1 AND status = 'running' AND heartbeat_at < now() - $3 * interval '1 millisecond'`,
        [orphan.id, this.workerId, this.leaseMs],
      );
      if (rowCount !== 1) continue;
      const log = this.logs.log(orphan.id, (await this.store.logLength(orphan.id)) + 1);
      log.write('sys', `worker ${orphan.workerId ?? '?'} stopped while running this task; what it did on the node is unknown`);
      await log.complete({ exitstatus: 'interrupted: worker lost during task', isError: true });
      reaped++;
    }
    return reaped;
  }

  async requeueForgotten(ageMs = REQUEUE_AFTER_MS): Promise<number> {
    let requeued = 0;
    for (let afterId = '0'; ; ) {
      const stale = await this.store.findStaleQueued(ageMs, afterId);
      if (!stale.length) return requeued;
      await this.queue.enqueue(stale);
      requeued += stale.length;
      afterId = stale[stale.length - 1].taskId;
    }
  }

  /** Redis came back without the queue: every queued task goes back on it now, whatever its age. */
  async requeueIfRedisLost(): Promise<number> {
    return (await this.epoch.lost()) ? this.requeueForgotten(0) : 0;
  }
}
