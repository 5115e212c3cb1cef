import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@pvefleet/config';
import { cancelChannel, type CancelMessage } from '@pvefleet/tasks';
import { RunningTasks } from '@pvefleet/tasks/run';
import { createRedis } from './redis-connection';

/** Hears cancel requests from the API; a missed message is caught by the next heartbeat instead. */
@Injectable()
export class CancelListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CancelListener.name);
  private readonly subscriber;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(RunningTasks) private readonly running: RunningTasks,
  ) {
    this.subscriber = createRedis(config.redisUrl, 'pvefleet-cancel');
  }

  async onApplicationBootstrap(): Promise<void> {
    this.subscriber.on('message', (_channel: string, raw: string) => {
      try {
        const msg = JSON.parse(raw) as CancelMessage;
        if (this.running.cancel(msg.taskId, msg.by)) this.logger.log(`task ${msg.taskId} cancelled by ${msg.by}`);
      } catch (err) {
        this.logger.warn(`ignored a cancel message that is not JSON (${raw.slice(0, 200)}): ${(err as Error).message}`);
      }
    });
    await this.subscriber.subscribe(cancelChannel(this.config.redisPrefix));
  }

  onApplicationShutdown(): void {
    this.subscriber.disconnect();
  }
}
