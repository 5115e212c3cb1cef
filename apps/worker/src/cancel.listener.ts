import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@pvefleet/config';
import { RunningTasks, cancelChannel, type CancelMessage } from '@pvefleet/tasks';
import { createRedis } from './redis-connection';

/** Hears cancel requests from the API; a missed message is caught by the next heartbeat instead. */
@Injectable()
export class CancelListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CancelListener.name);
  private readonly subscriber;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly running: RunningTasks,
  ) {
    this.subscriber = createRedis(config.redisUrl, 'pvefleet-cancel');
  }

  async onApplicationBootstrap(): Promise<void> {
    this.subscriber.on('message', (_channel: string, raw: string) => {
      try {
        const msg = JSON.parse(raw) as CancelMessage;
        if (this.running.cancel(msg.taskId, msg.by)) this.logger.log(`task ${msg.taskId} cancelled by ${msg.by}`);
      } catch {
        /* not ours */
      }
    });
    await this.subscriber.subscribe(cancelChannel(this.config.redisPrefix));
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscriber.disconnect();
  }
}
