import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@pvefleet/config';
import { JobRegistry } from '@pvefleet/jobs';
import { TaskLogWriter } from '../log/task-log.writer';
import { TaskRunRepository } from '../persistence/task-run.repository';
import { QueueEpoch } from '../queue-epoch';
import { TaskQueue } from '../task-queue';
import { RepeatedFailureLog } from './repeated-failure-log';
import { RunningTasks } from './running-tasks';
import { WORKER_ID } from './worker-id';
import { DEAD_AFTER_MS, PRESENCE_BEAT_MS, WorkerPresence } from './worker-presence';

/** A queued task this old without a worker picking it up is re-enqueued (Redis may have lost it). */
export const REQUEUE_AFTER_MS = 30_000;
/** A read-only task whose worker died is run again, up to this many runs in all. */
export const MAX_RUNS = 3;
/** How often a worker looks for the queue's marker in Redis (a flushed or replaced Redis lacks it). */
const EPOCH_CHECK_MS = 2_000;

/**
 * The worker's background duties that keep Postgres the truth: heartbeats for running tasks (and
 * their cancel requests), ending tasks whose worker died, and re-enqueueing tasks Redis forgot.
 */
@Injectable()
export class TaskMaintenance {
  private readonly logger = new Logger(TaskMaintenance.name);
  private timers: NodeJS.Timeout[] = [];
  private readonly epoch: QueueEpoch;
  /** Heartbeats keep running tasks (and their node leases) alive this long; silence this long makes an orphan. */
  private readonly leaseMs: number;

  constructor(
    @Inject(TaskRunRepository) private readonly store: TaskRunRepository,
    @Inject(TaskQueue) private readonly queue: TaskQueue,
    @Inject(TaskLogWriter) private readonly logs: TaskLogWriter,
    @Inject(RunningTasks) private readonly running: RunningTasks,
    @Inject(WorkerPresence) readonly presence: WorkerPresence,
    @Inject(JobRegistry) private readonly jobs: JobRegistry,
    @Inject(WORKER_ID) private readonly workerId: string,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'taskLeaseMs'>,
  ) {
    this.leaseMs = config.taskLeaseMs;
    this.epoch = new QueueEpoch(queue);
  }

  start(): void {
    const every = (ms: number, duty: string, fn: () => Promise<unknown>) => {
      const failures = new RepeatedFailureLog(this.logger, `${duty} (worker ${this.workerId})`);
      const t = setInterval(() => {
        fn().then(
          () => {
            failures.succeeded();
          },
          (err: unknown) => {
            failures.failed(err);
          },
        );
      }, ms);
      t.unref();
      this.timers.push(t);
    };
    every(Math.max(200, Math.floor(this.leaseMs / 6)), 'task heartbeat', () => this.beat());
    every(PRESENCE_BEAT_MS, 'presence beat', () => this.presence.beat());
    every(PRESENCE_BEAT_MS * 2, 'orphan reaper', () => this.reapOrphans());
    every(REQUEUE_AFTER_MS / 2, 'stale-queue sweep', () => this.requeueForgotten());
    every(EPOCH_CHECK_MS, 'Redis queue check', () => this.requeueIfRedisLost());
  }

  /** Whether a task type can read back, after its worker died, whether it took effect. */
  private canVerify(type: string): boolean {
    return !!this.jobs.get(type)?.verifyAfterLoss;
  }

  stop(): void {
    this.timers.forEach(clearInterval);
    this.timers = [];
  }

  /** A clean exit: the others need not wait to see this worker silent. */
  async leave(): Promise<void> {
    await this.presence.leave();
  }

  async beat(): Promise<void> {
    for (const { id, by } of await this.store.heartbeat(this.running.ids(), this.leaseMs)) this.running.cancel(id, by ?? undefined);
  }

  /**
   * Settles the running tasks of workers that died. A read-only task is simply run again (it changed
   * nothing), up to MAX_RUNS. A mutating one is never run again: if its kind can read back whether it
   * took effect, it is handed back for that read-back alone (TaskRunner.verifyAfterLoss); otherwise
   * it ends `interrupted`, and the log says what is known.
   */
  async reapOrphans(): Promise<number> {
    if (!this.presence.mayJudgeOthers()) return 0;
    let reaped = 0;
    for (const orphan of await this.store.findOrphans(this.leaseMs, DEAD_AFTER_MS, this.running.ids())) {
      // Read again just before ending it: the task may have started here since the scan.
      if (this.running.has(orphan.id)) continue;
      const last = await this.store.takeOver(orphan, this.workerId);
      if (last === undefined) continue;
      const log = this.logs.log(orphan.id, last + 1);
      const who = `worker ${orphan.workerId ?? '?'}`;
      const again = orphan.attempt < MAX_RUNS && (!orphan.mutating || this.canVerify(orphan.type));
      if (again) {
        log.write(
          'sys',
          orphan.mutating
            ? `${who} stopped while running this task and its command may have run: the node is read back to see whether it took effect (nothing that changes it runs again)`
            : `${who} stopped while running this read-only task; running it again (run ${orphan.attempt + 1} of at most ${MAX_RUNS})`,
        );
        await this.logs.flush();
        const job = await this.store.requeue(orphan.id, log.lines);
        if (job) await this.queue.enqueue([job]);
      } else {
        log.write(
          'sys',
          orphan.mutating
            ? `${who} stopped while running this task; its command may have run on the node, so it is not run again: check the node (a 'facts' task reads it back)`
            : `${who} stopped while running this task, run ${orphan.attempt} of ${MAX_RUNS}; not run again`,
        );
        await log.complete({ exitstatus: 'interrupted: worker lost during task', isError: true, errorClass: 'interrupted' });
      }
      reaped++;
    }
    return reaped;
  }

  async requeueForgotten(ageMs = REQUEUE_AFTER_MS): Promise<number> {
    let requeued = 0;
    for (let afterId = '0'; ;) {
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
