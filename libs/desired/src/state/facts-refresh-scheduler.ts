import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@pvefleet/config';
import { errorMessage } from '@pvefleet/errors';
import { TASK_REDIS } from '@pvefleet/tasks';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { FactsRefreshRound } from './facts-refresh-round';
import { FactsRefreshSettings } from './facts-refresh-settings';

export const FACTS_REFRESH_QUEUE = 'facts-refresh';
const SCHEDULER_ID = 'facts-refresh';
/** How often the scheduler in Redis is checked against the row (a flushed Redis, a changed row). */
const RECONCILE_EVERY_MS = 60_000;

/**
 * The facts refresh timer of the worker: a BullMQ job scheduler made from the `facts.refresh` row
 * (the truth) at start and again every minute, so a flushed Redis or a changed row is followed
 * within a minute and nothing is lost. BullMQ fires each round once, whichever worker takes it.
 */
@Injectable()
export class FactsRefreshScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('FactsRefresh');
  private queue?: Queue;
  private worker?: Worker;
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(TASK_REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(FactsRefreshSettings) private readonly settings: FactsRefreshSettings,
    @Inject(FactsRefreshRound) private readonly round: FactsRefreshRound,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), RECONCILE_EVERY_MS);
    void this.tick();
  }

  /** Starts the timer if it is not yet running, then matches it to the row; never throws (it runs from a timer). */
  private async tick(): Promise<void> {
    try {
      this.queue ??= this.newQueue();
      if (!this.worker) {
        const minutes = this.config.desired.factsRefreshMinutes;
        if (minutes === 0) {
          clearInterval(this.timer);
          await this.queue.removeJobScheduler(SCHEDULER_ID);
          this.logger.log('facts refresh timer off in this worker (PVEFLEET_FACTS_REFRESH_MINUTES=0)');
          return;
        }
        if (minutes !== undefined) await this.settings.set({ ...(await this.settings.get()), intervalMinutes: minutes });
        this.worker = new Worker(FACTS_REFRESH_QUEUE, () => this.fire(), { ...this.connection, concurrency: 1 });
        this.worker.on('error', () => undefined);
        this.worker.on('failed', (_job, err) => {
          this.logger.warn(`facts refresh round failed: ${errorMessage(err)}; the next round tries again`);
        });
      }
      await this.reconcile(this.queue);
    } catch (err) {
      this.logger.warn(`facts refresh timer not reconciled with its row (${errorMessage(err)}); tried again in a minute`);
    }
  }

  private get connection() {
    return { connection: this.redis, prefix: this.config.redisPrefix };
  }

  private newQueue(): Queue {
    const queue = new Queue(FACTS_REFRESH_QUEUE, this.connection);
    // Connection outages are logged once, by the watch on the worker's Redis connection.
    queue.on('error', () => undefined);
    return queue;
  }

  /** The scheduler in Redis made to match the row (BullMQ fires an upserted `every` scheduler at once, then every interval). */
  private async reconcile(queue: Queue): Promise<void> {
    const setting = await this.settings.get();
    const every = Math.round(setting.intervalMinutes * 60_000);
    const current = await queue.getJobScheduler(SCHEDULER_ID);
    if (current?.every === every) return;
    await queue.upsertJobScheduler(SCHEDULER_ID, { every }, { name: 'round', opts: { removeOnComplete: true, removeOnFail: true } });
    this.logger.log(`facts refresh every ${setting.intervalMinutes} min, spread over ${Math.round(setting.jitter * 100)}% of it`);
  }

  private async fire(): Promise<void> {
    const setting = await this.settings.get();
    const { submitted } = await this.round.run(setting);
    this.logger.log(`facts refresh: ${submitted} facts tasks submitted`);
  }

  /** Before Redis is let go: no new round starts here, a running one finishes. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    try {
      await this.worker?.close();
      await this.queue?.close();
    } catch (err) {
      this.logger.warn(`facts refresh timer not closed cleanly at shutdown: ${errorMessage(err)}`);
    }
  }
}
