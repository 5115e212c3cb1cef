import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@pvefleet/config';
import { errorMessage } from '@pvefleet/errors';
import { TASK_REDIS } from '@pvefleet/tasks';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DELIVERY_ATTEMPTS } from '../retry-backoff';

export const ALERTS_QUEUE = 'alerts';

/** A job carries only its delivery's id: the row is the truth. */
export interface DeliveryJob {
  deliveryId: number;
}

/** One job id per delivery: enqueuing a delivery whose job is still in Redis adds nothing. */
export const deliveryJobId = (deliveryId: number): string => `delivery-${deliveryId}`;

/**
 * The `alerts` queue. Deliveries are written to Postgres first; a job that could not be added (Redis
 * away) is added again by the requeue from the rows (AlertDeliveryWorker).
 */
@Injectable()
export class AlertQueue implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Alerts');
  readonly queue: Queue<DeliveryJob>;

  constructor(@Inject(TASK_REDIS) redis: Redis, @Inject(APP_CONFIG) config: AppConfig) {
    this.queue = new Queue<DeliveryJob>(ALERTS_QUEUE, { connection: redis, prefix: config.redisPrefix });
    // Connection outages are logged once, by the watch on the worker's Redis connection.
    this.queue.on('error', () => undefined);
  }

  /** Never throws: a delivery not enqueued now is enqueued from its row within a minute. */
  async enqueue(deliveryIds: readonly number[], delayMs = 0): Promise<void> {
    if (deliveryIds.length === 0) return;
    try {
      await this.queue.addBulk(
        deliveryIds.map((deliveryId) => ({
          name: 'deliver',
          data: { deliveryId },
          opts: {
            jobId: deliveryJobId(deliveryId),
            delay: delayMs,
            attempts: DELIVERY_ATTEMPTS,
            backoff: { type: 'alert-delivery' },
            removeOnComplete: true,
            removeOnFail: true,
          },
        })),
      );
    } catch (err) {
      this.logger.warn(
        `${deliveryIds.length} alert deliveries not enqueued (${errorMessage(err)}); enqueued again from their rows within a minute`,
      );
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    try {
      await this.queue.close();
    } catch (err) {
      this.logger.warn(`closing the alerts queue at shutdown failed: ${errorMessage(err)}`);
    }
  }
}
