import { Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AlertsModule } from '@pvefleet/alerts';
import { CertificatesModule } from '@pvefleet/certificates';
import { APP_CONFIG, ConfigModule, type AppConfig } from '@pvefleet/config';
import { DbModule, PgNotifications } from '@pvefleet/db';
import { DesiredStateModule, DriftModule } from '@pvefleet/desired/state';
import { errorMessage } from '@pvefleet/errors';
import { JobsModule } from '@pvefleet/jobs';
import { NodesModule } from '@pvefleet/nodes';
import { RolloutsModule } from '@pvefleet/rollouts';
import { SchedulesModule, WindowsModule } from '@pvefleet/schedules/state';
import { SecretsModule } from '@pvefleet/secrets';
import { TASK_REDIS, TaskQueue, TasksModule, watchConnection } from '@pvefleet/tasks';
import { Redis } from 'ioredis';
import { AlertChannelsController } from './alerts/alert-channels.controller';
import { AlertRulesController } from './alerts/alert-rules.controller';
import { AlertsController } from './alerts/alerts.controller';
import { API_REDIS } from './api.tokens';
import { AuthGuard } from './auth/auth.guard';
import { LoginFailures } from './auth/login-failures';
import { TokenRepository } from './auth/token.repository';
import { TokenService } from './auth/token.service';
import { TokensController } from './auth/tokens.controller';
import { ErrorFilter } from './common/error.filter';
import { RateLimitModule, TokenRateLimitGuard } from './common/rate-limits';
import { NodeDesiredController } from './desired/node-desired.controller';
import { ProfilesController } from './desired/profiles.controller';
import { CertificatesController } from './certificates/certificates.controller';
import { DriftController } from './drift/drift.controller';
import { HealthController } from './health/health.controller';
import { NodesController } from './nodes/nodes.controller';
import { RolloutsController } from './rollouts/rollouts.controller';
import { SchedulesController } from './schedules/schedules.controller';
import { WindowsController } from './windows/windows.controller';
import { TaskLogStream } from './tasks/task-log.stream';
import { RolloutEventStream } from './rollouts/rollout-event.stream';
import { SseStreams } from './common/sse-streams';
import { JobKindsController } from './tasks/job-kinds.controller';
import { TasksController } from './tasks/tasks.controller';

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  private readonly logger = new Logger('Shutdown');

  constructor(
    @Inject(API_REDIS) private readonly redis: Redis,
    @Inject(TaskQueue) private readonly queue: TaskQueue,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    try {
      await this.queue.close();
    } catch (err) {
      // Redis may already be gone at shutdown; nothing is lost (tasks are in Postgres), but say so.
      this.logger.warn(`closing the task queue at shutdown failed: ${errorMessage(err)}`);
    }
    this.redis.disconnect();
  }
}

/** The API's Redis connection, also the task queue's (TASK_REDIS): global, so TasksModule sees it. */
@Global()
@Module({
  providers: [
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
    { provide: TASK_REDIS, useExisting: API_REDIS },
  ],
  exports: [API_REDIS, TASK_REDIS],
})
class ApiRedisModule {}

/** The HTTP control plane: validates, writes Postgres, enqueues. It never opens an SSH connection. */
@Module({
  imports: [
    ConfigModule,
    DbModule,
    SecretsModule,
    RateLimitModule,
    NodesModule,
    ApiRedisModule,
    JobsModule,
    TasksModule,
    RolloutsModule,
    DesiredStateModule,
    DriftModule,
    AlertsModule,
    SchedulesModule,
    WindowsModule,
    CertificatesModule,
  ],
  controllers: [
    HealthController,
    NodesController,
    TasksController,
    JobKindsController,
    RolloutsController,
    TokensController,
    ProfilesController,
    NodeDesiredController,
    DriftController,
    AlertChannelsController,
    AlertsController,
    AlertRulesController,
    SchedulesController,
    WindowsController,
    CertificatesController,
  ],
  providers: [
    // In this order: who is calling, then how often that token (or address) has called.
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: TokenRateLimitGuard },
    LoginFailures,
    { provide: APP_FILTER, useClass: ErrorFilter },
    TokenService,
    TokenRepository,
    TaskLogStream,
    RolloutEventStream,
    SseStreams,
    // One listening connection per API process feeds every live stream.
    { provide: PgNotifications, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new PgNotifications(c.databaseUrl) },
    RedisCloser,
  ],
})
export class ApiModule {}
