import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { errorMessage } from '@pvefleet/errors';
import { SshPool } from '@pvefleet/ssh';
import { TASK_REDIS } from '@pvefleet/tasks';
import { TaskLogWriter, TaskMaintenance, WORKER_ID } from '@pvefleet/tasks/run';
import type { Redis } from 'ioredis';

/**
 * Starts the maintenance loops and, on shutdown (after TaskProcessor let the running tasks end),
 * flushes what is still buffered, leaves, and lets go of SSH and Redis. In the app's own module so
 * it runs before the libraries' modules (and the Postgres pool) shut down.
 */
@Injectable()
export class WorkerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerLifecycle.name);

  constructor(
    @Inject(TaskMaintenance) private readonly maintenance: TaskMaintenance,
    @Inject(TaskLogWriter) private readonly logs: TaskLogWriter,
    @Inject(SshPool) private readonly ssh: SshPool,
    @Inject(TASK_REDIS) private readonly redis: Redis,
    @Inject(WORKER_ID) private readonly workerId: string,
  ) {}

  onApplicationBootstrap(): void {
    this.maintenance.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.maintenance.stop();
    await this.logs.flush().catch((err: unknown) => {
      this.logger.error(`worker ${this.workerId}: last log flush failed at shutdown: ${errorMessage(err)}`);
    });
    await this.maintenance.leave().catch((err: unknown) => {
      this.logger.warn(
        `worker ${this.workerId}: could not remove its presence row (${errorMessage(err)}); others see it silent in seconds`,
      );
    });
    this.ssh.closeAll();
    this.redis.disconnect();
  }
}
