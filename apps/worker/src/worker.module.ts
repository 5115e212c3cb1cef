import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, ConfigModule, type AppConfig } from '@pvefleet/config';
import { DbModule, PgPool } from '@pvefleet/db';
import { JobRegistry } from '@pvefleet/jobs';
import { NodeAccess } from '@pvefleet/nodes';
import { RolloutOrchestrator, RolloutStore } from '@pvefleet/rollouts';
import { SecretBox, SecretsModule } from '@pvefleet/secrets';
import { SshPool } from '@pvefleet/ssh';
import {
  NodeConnector,
  RebootProtocol,
  RunningTasks,
  StepExecutor,
  TaskDispatcher,
  TaskLogWriter,
  TaskMaintenance,
  TaskQueue,
  TaskRunner,
  TaskStore,
  TaskSubmissionService,
} from '@pvefleet/tasks';
import type { Redis } from 'ioredis';
import { CancelListener } from './cancel.listener';
import { createRedis } from './redis-connection';
import { RolloutScheduler } from './rollout.scheduler';
import { TaskProcessor } from './task.processor';
import { WORKER_ID, WORKER_REDIS } from './worker.tokens';

/** Starts the maintenance loops and, on shutdown, flushes what is still buffered. */
@Injectable()
class WorkerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(TaskMaintenance) private readonly maintenance: TaskMaintenance,
    @Inject(TaskLogWriter) private readonly logs: TaskLogWriter,
    @Inject(SshPool) private readonly ssh: SshPool,
    @Inject(WORKER_REDIS) private readonly redis: Redis,
  ) {}

  onApplicationBootstrap(): void {
    this.maintenance.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.maintenance.stop();
    await this.logs.flush().catch(() => {});
    await this.maintenance.leave().catch(() => {});
    this.ssh.closeAll();
    this.redis.disconnect();
  }
}

@Module({
  imports: [ConfigModule, DbModule, SecretsModule],
  providers: [
    { provide: WORKER_ID, useValue: `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}` },
    { provide: WORKER_REDIS, inject: [APP_CONFIG], useFactory: (c: AppConfig) => createRedis(c.redisUrl, 'pvefleet-worker') },
    { provide: JobRegistry, useFactory: () => new JobRegistry() },
    { provide: RunningTasks, useValue: new RunningTasks() },
    {
      provide: SshPool,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => new SshPool({ idleMs: c.ssh.idleMs, maxIdle: c.ssh.maxIdleConnections }),
    },
    { provide: TaskStore, inject: [PgPool], useFactory: (pool: PgPool) => new TaskStore(pool) },
    {
      provide: TaskLogWriter,
      inject: [PgPool, APP_CONFIG],
      useFactory: (pool: PgPool, c: AppConfig) => new TaskLogWriter(pool, { flushMs: c.log.flushMs, spool: c.log.spool }),
    },
    {
      provide: NodeAccess,
      inject: [PgPool, SecretBox, APP_CONFIG],
      useFactory: (pool: PgPool, box: SecretBox, c: AppConfig) => new NodeAccess(pool, box, c.ssh.connectTimeoutMs),
    },
    {
      provide: TaskQueue,
      inject: [WORKER_REDIS, APP_CONFIG],
      useFactory: (redis: Redis, c: AppConfig) => new TaskQueue(redis, c.redisPrefix),
    },
    { provide: NodeConnector, inject: [NodeAccess, SshPool], useFactory: (n: NodeAccess, s: SshPool) => new NodeConnector(n, s) },
    { provide: StepExecutor, inject: [TaskLogWriter], useFactory: (l: TaskLogWriter) => new StepExecutor(l) },
    {
      provide: RebootProtocol,
      inject: [StepExecutor, NodeConnector],
      useFactory: (s: StepExecutor, c: NodeConnector) => new RebootProtocol(s, c),
    },
    {
      provide: TaskRunner,
      inject: [JobRegistry, NodeAccess, TaskStore, NodeConnector, StepExecutor, RebootProtocol, TaskLogWriter, APP_CONFIG],
      useFactory: (
        r: JobRegistry,
        n: NodeAccess,
        st: TaskStore,
        nc: NodeConnector,
        se: StepExecutor,
        rp: RebootProtocol,
        l: TaskLogWriter,
        c: AppConfig,
      ) => new TaskRunner(r, n, st, nc, se, rp, l, { commandTimeoutMs: c.ssh.commandTimeoutMs, leaseMs: c.taskLeaseMs }),
    },
    {
      provide: TaskDispatcher,
      inject: [TaskStore, TaskRunner, RunningTasks, TaskQueue, WORKER_ID, APP_CONFIG],
      useFactory: (s: TaskStore, r: TaskRunner, running: RunningTasks, q: TaskQueue, id: string, c: AppConfig) =>
        new TaskDispatcher(s, r, running, q, id, c.taskLeaseMs),
    },
    {
      provide: TaskMaintenance,
      inject: [PgPool, TaskStore, TaskQueue, TaskLogWriter, RunningTasks, WORKER_ID, APP_CONFIG, JobRegistry],
      useFactory: (p: PgPool, s: TaskStore, q: TaskQueue, l: TaskLogWriter, r: RunningTasks, id: string, c: AppConfig, jobs: JobRegistry) =>
        new TaskMaintenance(p, s, q, l, r, id, c.taskLeaseMs, (type) => !!jobs.get(type)?.verifyAfterLoss),
    },
    {
      provide: TaskSubmissionService,
      inject: [PgPool, JobRegistry, TaskQueue],
      useFactory: (pool: PgPool, registry: JobRegistry, queue: TaskQueue) => new TaskSubmissionService(pool, registry, queue),
    },
    { provide: RolloutStore, inject: [PgPool], useFactory: (pool: PgPool) => new RolloutStore(pool) },
    {
      provide: RolloutOrchestrator,
      inject: [RolloutStore, TaskSubmissionService],
      useFactory: (store: RolloutStore, submission: TaskSubmissionService) => new RolloutOrchestrator(store, submission),
    },
    RolloutScheduler,
    TaskProcessor,
    CancelListener,
    WorkerLifecycle,
  ],
})
export class WorkerModule {}
