import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@pvefleet/config';
import { classifyDbFailure } from '@pvefleet/db';
import { TASK_QUEUE, TASK_REDIS, type TaskJobData } from '@pvefleet/tasks';
import { HAND_BACK, RunningTasks, TaskDispatcher } from '@pvefleet/tasks/run';
import { DelayedError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';

/** A task whose node is busy waits this long (plus jitter) before asking again, unless woken earlier. */
const BUSY_RETRY_MS = 500;
/** A delivery that met Postgres away is tried again this soon (the job is kept, not failed). */
const DB_AWAY_RETRY_MS = 1_000;

/** The BullMQ consumer: one Worker per process for all nodes; the per-node order comes from leases. */
@Injectable()
export class TaskProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TaskProcessor.name);
  private worker?: Worker<TaskJobData>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(TASK_REDIS) private readonly redis: Redis,
    @Inject(TaskDispatcher) private readonly dispatcher: TaskDispatcher,
    @Inject(RunningTasks) private readonly running: RunningTasks,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = new Worker<TaskJobData>(TASK_QUEUE, (job, token) => this.process(job, token), {
      connection: this.redis,
      prefix: this.config.redisPrefix,
      concurrency: this.config.worker.concurrency,
      maxStalledCount: 1,
    });
    // Its connections' outages are logged once, by the watch on the worker's Redis connection.
    this.worker.on('error', () => undefined);
    this.logger.log(`consuming '${TASK_QUEUE}' with concurrency ${this.config.worker.concurrency}`);
  }

  private async process(job: Job<TaskJobData>, token?: string): Promise<void> {
    let retryInMs: number;
    try {
      const outcome = await this.dispatcher.dispatch(job.data);
      if (outcome !== 'busy') return;
      retryInMs = BUSY_RETRY_MS + Math.floor(Math.random() * BUSY_RETRY_MS);
    } catch (err) {
      // Postgres away before the task was claimed: keep the job, so the task starts as soon as it is back.
      if (classifyDbFailure(err) === 'rejected') throw err;
      retryInMs = DB_AWAY_RETRY_MS;
    }
    await job.moveToDelayed(Date.now() + retryInMs, token);
    throw new DelayedError();
  }

  /**
   * Before anything disconnects: no new task starts, running ones get the grace period to finish;
   * then the rest are stopped, read-only ones handed back to the queue, mutating ones ended
   * (their commands stopped on the node), and only then does the process let go of Postgres.
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.worker) return;
    const graceMs = this.config.worker.stopGraceMs;
    this.logger.log(`stopping: no new tasks; ${this.running.size} running get up to ${graceMs / 1000} s to finish`);
    const closed = this.worker.close();
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'grace over'>(
      (resolve) =>
        (timer = setTimeout(() => {
          resolve('grace over');
        }, graceMs)),
    );
    if ((await Promise.race([closed, graceOver])) === 'grace over') {
      this.logger.warn(`grace period over: stopping ${this.running.size} running tasks (read-only ones are handed back)`);
      this.running.cancelAll(HAND_BACK);
      await closed;
    }
    clearTimeout(timer);
  }
}
