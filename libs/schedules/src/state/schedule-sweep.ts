import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { errorMessage } from '@pvefleet/errors';
import { ScheduleFirer } from './schedule-firer';

/** How often every worker looks for due fire times (the BullMQ wake-up is the precise path; this one needs no Redis). */
export const SWEEP_EVERY_MS = 2_000;

/**
 * Fires what is due from Postgres alone, every few seconds in every worker: a schedule still fires
 * when Redis was flushed, replaced or is away, and when pvefleet comes back after being down (its
 * missed runs decided by the schedule's missedRun). ScheduleFirer makes every fire time run once.
 */
@Injectable()
export class ScheduleSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Schedules');
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(@Inject(ScheduleFirer) private readonly firer: ScheduleFirer) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), SWEEP_EVERY_MS);
    void this.tick();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.firer.fireDue();
    } catch (err) {
      this.logger.warn(`schedule sweep failed (${errorMessage(err)}); tried again in ${SWEEP_EVERY_MS / 1000} s`);
    } finally {
      this.running = false;
    }
  }
}
