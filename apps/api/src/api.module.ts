import { Logger, Module, type OnApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { APP_CONFIG, ConfigModule, type AppConfig } from '@pvefleet/config';
import { DbModule, PgPool, PrismaModule, PrismaService } from '@pvefleet/db';
import { JobRegistry } from '@pvefleet/jobs';
import { NodesModule } from '@pvefleet/nodes';
import { RolloutsService } from '@pvefleet/rollouts';
import { SecretsModule } from '@pvefleet/secrets';
import { TaskCancelService, TaskLogReader, TaskQueryService, TaskQueue, TaskSubmissionService, watchConnection } from '@pvefleet/tasks';
import { Redis } from 'ioredis';
import { API_REDIS } from './api.tokens';
import { AuthGuard } from './auth/auth.guard';
import { LoginFailures } from './auth/login-failures';
import { TokenRepository } from './auth/token.repository';
import { TokenService } from './auth/token.service';
import { TokensController } from './auth/tokens.controller';
import { ErrorFilter } from './common/error.filter';
import { RateLimitModule, TokenRateLimitGuard } from './common/rate-limits';
import { HealthController } from './health/health.controller';
import { NodesController } from './nodes/nodes.controller';
import { RolloutsController } from './rollouts/rollouts.controller';
import { TaskLogStream } from './tasks/task-log.stream';
import { SseStreams } from './common/sse-streams';
import { JobKindsController } from './tasks/job-kinds.controller';
import { TasksController } from './tasks/tasks.controller';

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(
    @Inject(API_REDIS) private readonly redis: Redis,
    @Inject(TaskQueue) private readonly queue: TaskQueue,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close().catch(() => {});
    this.redis.disconnect();
  }
}

/** The HTTP control plane: validates, writes Postgres, enqueues. It never opens an SSH connection. */
@Module({
  imports: [ConfigModule, DbModule, PrismaModule, SecretsModule, RateLimitModule, NodesModule],
  controllers: [HealthController, NodesController, TasksController, JobKindsController, RolloutsController, TokensController],
  providers: [
    // In this order: who is calling, then how often that token (or address) has called.
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: TokenRateLimitGuard },
    LoginFailures,
    { provide: APP_FILTER, useClass: ErrorFilter },
    {
      provide: API_REDIS,
      inject: [APP_CONFIG],
      // Fail fast instead of queueing commands while Redis is away: tasks are in Postgres regardless.
      useFactory: (c: AppConfig) => {
        const redis = new Redis(c.redisUrl, {
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
          connectionName: 'pvefleet-api',
          connectTimeout: 5_000,
          commandTimeout: 5_000,
        });
        watchConnection('redis (pvefleet-api)', redis);
        return redis;
      },
    },
    { provide: JobRegistry, useFactory: () => new JobRegistry() },
    { provide: TaskQueue, inject: [API_REDIS, APP_CONFIG], useFactory: (r: Redis, c: AppConfig) => new TaskQueue(r, c.redisPrefix) },
    { provide: TaskLogReader, inject: [PgPool], useFactory: (p: PgPool) => new TaskLogReader(p) },
    {
      provide: TaskSubmissionService,
      inject: [PgPool, JobRegistry, TaskQueue],
      useFactory: (pool: PgPool, registry: JobRegistry, queue: TaskQueue) => {
        const logger = new Logger('Tasks');
        return new TaskSubmissionService(pool, registry, queue, (err) =>
          logger.warn(`enqueue failed (${err.message}); the tasks stay queued in Postgres and workers re-enqueue them`),
        );
      },
    },
    {
      provide: TaskQueryService,
      inject: [PrismaService, TaskLogReader, PgPool],
      useFactory: (prisma: PrismaService, reader: TaskLogReader, pool: PgPool) => new TaskQueryService(prisma, reader, pool),
    },
    {
      provide: TaskCancelService,
      inject: [PgPool, API_REDIS, APP_CONFIG],
      useFactory: (pool: PgPool, redis: Redis, c: AppConfig) => new TaskCancelService(pool, redis, c.redisPrefix),
    },
    RolloutsService,
    TokenService,
    TokenRepository,
    TaskLogStream,
    SseStreams,
    RedisCloser,
  ],
})
export class ApiModule {}
