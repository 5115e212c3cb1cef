import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@pvefleet/config';
import { TASK_REDIS } from '@pvefleet/tasks';
import { createRedis } from './redis-connection';

/** The worker's Redis connection for the task queue (BullMQ's blocking reads: it never gives up on a command). */
@Global()
@Module({
  providers: [{ provide: TASK_REDIS, inject: [APP_CONFIG], useFactory: (c: AppConfig) => createRedis(c.redisUrl, 'pvefleet-worker') }],
  exports: [TASK_REDIS],
})
export class WorkerRedisModule {}
