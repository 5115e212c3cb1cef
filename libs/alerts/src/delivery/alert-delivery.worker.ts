import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@pvefleet/config';
import { errorMessage } from '@pvefleet/errors';
import { TASK_REDIS } from '@pvefleet/tasks';
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { AlertDeliveryRepository } from '../persistence/alert-delivery.repository';
import { retryDelayMs } from '../retry-backoff';
import { ALERTS_QUEUE, AlertQueue, type DeliveryJob } from './alert-queue';
import { DeliveryAttempt } from './delivery-attempt';
import { RetryLater } from './retry-later';

const CONCURRENCY = 10;
/** How often pending rows are enqueued again (a flushed Redis loses no delivery for longer than this). */
const REQUEUE_EVERY_MS = 60_000;
const REQUEUE_BATCH = 1_000;

/** The worker's consumer of the `alerts` queue, and the requeue of pending deliveries from their rows (at start and every minute). */
@Injectable()
export class AlertDeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Alerts');
  private worker?: Worker<DeliveryJob>;
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(TASK_REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AlertQueue) private readonly queue: AlertQueue,
    @Inject(DeliveryAttempt) private readonly attempt: DeliveryAttempt,
    @Inject(AlertDeliveryRepository) private readonly deliveries: AlertDeliveryRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = new Worker<DeliveryJob>(ALERTS_QUEUE, (job) => this.attempt.run(job.data.deliveryId), {
      connection: this.redis,
      prefix: this.config.redisPrefix,
      concurrency: CONCURRENCY,
      // The delay the row recorded as next_attempt_at; BullMQ's own count only when a job failed otherwise.
      settings: {
        backoffStrategy: (attemptsMade, _type, err) => (err instanceof RetryLater ? err.delayMs : retryDelayMs(Math.max(1, attemptsMade))),
      },
    });
    this.worker.on('error', () => undefined);
    this.worker.on('failed', (job, err) => {
      if (err instanceof RetryLater) return; // logged with its try
      this.logger.warn(
        `alert delivery ${job?.data.deliveryId ?? '?'} job failed: ${errorMessage(err)}; retried, or enqueued again from its row`,
      );
    });
    this.timer = setInterval(() => void this.requeue(), REQUEUE_EVERY_MS);
    void this.requeue();
  }

  /** Every pending delivery gets its job back (one already in Redis is left as it is), due when its row says. */
  async requeue(): Promise<void> {
    try {
      const pending = await this.deliveries.pending(REQUEUE_BATCH);
      const now = Date.now();
      for (const p of pending) await this.queue.enqueue([p.id], p.dueAt ? Math.max(0, p.dueAt.getTime() - now) : 0);
    } catch (err) {
      this.logger.warn(`pending alert deliveries not enqueued again (${errorMessage(err)}); tried again in a minute`);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    try {
      await this.worker?.close();
    } catch (err) {
      this.logger.warn(`alert delivery worker not closed cleanly at shutdown: ${errorMessage(err)}`);
    }
  }
}
