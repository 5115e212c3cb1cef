import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@pvefleet/config';
import { errorMessage } from '@pvefleet/errors';
import { TASK_REDIS } from '@pvefleet/tasks';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { cronerRepeatStrategy } from './croner-repeat-strategy';
import { ScheduleFirer } from './schedule-firer';
import { ScheduleRepository } from './schedule.repository';

export const SCHEDULES_QUEUE = 'schedules';
/** How often the job schedulers in Redis are made to match the rows (a flushed Redis, a changed schedule). */
export const WAKEUPS_RECONCILE_EVERY_MS = 10_000;

const schedulerId = (scheduleId: number) => `schedule-${scheduleId}`;

/**
 * One BullMQ job scheduler per enabled schedule (cron and time zone, next times from croner): a
 * precise wake-up that calls ScheduleFirer at the fire time. Only a wake-up: the schedule rows are
 * the truth, the schedulers are reconciled from them at start and every few seconds (extra ones
 * removed, missing or changed ones upserted), and the sweep fires whatever they miss. A job that
 * finds nothing due (the sweep fired it first) does nothing.
 */
@Injectable()
export class ScheduleWakeups implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Schedules');
  private queue?: Queue;
  private worker?: Worker;
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(TASK_REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ScheduleRepository) private readonly schedules: ScheduleRepository,
    @Inject(ScheduleFirer) private readonly firer: ScheduleFirer,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), WAKEUPS_RECONCILE_EVERY_MS);
    void this.tick();
  }

  /** Never throws (it runs from a timer). */
  private async tick(): Promise<void> {
    try {
      const options = { connection: this.redis, prefix: this.config.redisPrefix, settings: { repeatStrategy: cronerRepeatStrategy } };
      if (!this.queue) {
        this.queue = new Queue(SCHEDULES_QUEUE, options);
        // Connection outages are logged once, by the watch on the worker's Redis connection.
        this.queue.on('error', () => undefined);
      }
      if (!this.worker) {
        this.worker = new Worker(SCHEDULES_QUEUE, (job) => this.firer.fire((job.data as { scheduleId: number }).scheduleId), {
          ...options,
          concurrency: 1,
        });
        this.worker.on('error', () => undefined);
        this.worker.on('failed', (job, err) => {
          this.logger.warn(`schedule wake-up ${job?.id ?? ''} failed: ${errorMessage(err)}; the sweep fires it`);
        });
      }
      await this.reconcile(this.queue);
    } catch (err) {
      this.logger.warn(`schedule job schedulers not reconciled with the rows (${errorMessage(err)}); tried again shortly`);
    }
  }

  /** The job schedulers in Redis made to match the enabled schedules. */
  async reconcile(queue: Queue): Promise<void> {
    const wanted = new Map((await this.schedules.enabled()).map((s) => [schedulerId(s.id), s]));
    const present = await queue.getJobSchedulers(0, -1);
    for (const js of present) {
      const s = wanted.get(js.key);
      if (!s || js.pattern !== s.cron || js.tz !== s.timezone) await queue.removeJobScheduler(js.key);
    }
    const kept = new Set(
      present.filter((js) => wanted.get(js.key)?.cron === js.pattern && wanted.get(js.key)?.timezone === js.tz).map((js) => js.key),
    );
    for (const [id, s] of wanted) {
      if (kept.has(id)) continue;
      await queue.upsertJobScheduler(
        id,
        { pattern: s.cron, tz: s.timezone },
        { name: 'fire', data: { scheduleId: s.id }, opts: { removeOnComplete: true, removeOnFail: true } },
      );
    }
  }

  /** Before Redis is let go: no new wake-up starts here, a running one finishes. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    try {
      await this.worker?.close();
      await this.queue?.close();
    } catch (err) {
      this.logger.warn(`schedule wake-ups not closed cleanly at shutdown: ${errorMessage(err)}`);
    }
  }
}
