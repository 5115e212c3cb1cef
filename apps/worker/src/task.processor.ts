import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@pvefleet/config';
import { TASK_QUEUE, TaskDispatcher, type TaskJobData } from '@pvefleet/tasks';
import { DelayedError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { WORKER_REDIS } from './worker.tokens';

/** A task whose node is busy waits this long (plus jitter) before asking again, unless woken earlier. */
const BUSY_RETRY_MS = 500;

/** The BullMQ consumer: one Worker per process for all nodes; the per-node order comes from leases. */
@Injectable()
export class TaskProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TaskProcessor.name);
  private worker?: Worker<TaskJobData>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WORKER_REDIS) private readonly redis: Redis,
    private readonly dispatcher: TaskDispatcher,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = new Worker<TaskJobData>(TASK_QUEUE, (job, token) => this.process(job, token), {
      connection: this.redis,
      prefix: this.config.redisPrefix,
      concurrency: this.config.worker.concurrency,
      maxStalledCount: 1,
    });
    this.worker.on('error', (err) => this.logger.error(`queue: ${err.message}`));
    this.logger.log(`consuming '${TASK_QUEUE}' with concurrency ${this.config.worker.concurrency}`);
  }

  private async process(job: Job<TaskJobData>, token?: string): Promise<void> {
    const outcome = await this.dispatcher.dispatch(job.data);
    if (outcome === 'busy') {
      await job.moveToDelayed(Date.now() + BUSY_RETRY_MS + Math.floor(Math.random() * BUSY_RETRY_MS), token);
      throw new DelayedError();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }
}
