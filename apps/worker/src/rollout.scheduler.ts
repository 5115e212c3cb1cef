import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@pvefleet/config';
import { RolloutOrchestrator, RolloutStore } from '@pvefleet/rollouts';
import { WORKER_ID } from './worker.tokens';

/** Advances the rollouts this worker holds the lease on; any worker can take over any rollout. */
@Injectable()
export class RolloutScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RolloutScheduler.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly store: RolloutStore,
    private readonly orchestrator: RolloutOrchestrator,
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

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (const id of await this.store.claim(this.workerId, this.leaseMs)) {
        await this.orchestrator.advance(id).catch((err: Error) => this.logger.error(`rollout ${id}: ${err.stack ?? err.message}`));
      }
    } catch (err) {
      this.logger.warn(`rollout scheduling: ${(err as Error).message}`);
    } finally {
      this.running = false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.store.release(this.workerId).catch(() => {});
  }
}
