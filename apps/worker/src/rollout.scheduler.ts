import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@pvefleet/config';
import { errorMessage } from '@pvefleet/errors';
import { rolloutLogFields } from '@pvefleet/logging';
import { RolloutOrchestrator, RolloutRepository } from '@pvefleet/rollouts';
import { WORKER_ID } from './worker.tokens';

/** Advances the rollouts this worker holds the lease on; any worker can take over any rollout. */
@Injectable()
export class RolloutScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RolloutScheduler.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    @Inject(RolloutRepository) private readonly rollouts: RolloutRepository,
    @Inject(RolloutOrchestrator) private readonly orchestrator: RolloutOrchestrator,
    @Inject(WORKER_ID) private readonly workerId: string,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A rollout whose orchestrating worker stops ticking is taken over by another after this long. */
  private get leaseMs(): number {
    return Math.max(2_000, this.config.rollout.tickMs * 20);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.rollout.tickMs);
  }

  /** One pass over the rollouts this worker holds; never throws (it runs from a timer), every failure is logged. */
  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (const id of await this.rollouts.claim(this.workerId, this.leaseMs)) {
        try {
          await this.orchestrator.advance(id);
        } catch (err) {
          // One rollout's failure must not stop the others; the next tick tries it again.
          this.logger.error(
            rolloutLogFields(id),
            `rollout ${id}: tick failed: ${err instanceof Error ? (err.stack ?? err.message) : errorMessage(err)}`,
          );
        }
      }
    } catch (err) {
      this.logger.warn(`rollout scheduling (worker ${this.workerId}): cannot claim rollouts: ${errorMessage(err)}`);
    } finally {
      this.running = false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    try {
      await this.rollouts.release(this.workerId);
    } catch (err) {
      // Not fatal: another worker takes the rollouts over once their lease runs out.
      this.logger.warn(`worker ${this.workerId}: cannot hand back its rollout leases at shutdown: ${errorMessage(err)}`);
    }
  }
}
