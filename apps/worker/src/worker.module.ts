import { Module } from '@nestjs/common';
import { AlertsWorkerModule } from '@pvefleet/alerts';
import { CertificateHistoryModule } from '@pvefleet/certificates';
import { ConfigModule } from '@pvefleet/config';
import { DbModule } from '@pvefleet/db';
import { DriftWorkerModule } from '@pvefleet/desired/state';
import { RolloutOrchestrationModule } from '@pvefleet/rollouts';
import { SchedulesWorkerModule, WindowsGateModule } from '@pvefleet/schedules/state';
import { SecretsModule } from '@pvefleet/secrets';
import { TaskRunnerModule } from '@pvefleet/tasks/run';
import { CancelListener } from './cancel.listener';
import { RolloutScheduler } from './rollout.scheduler';
import { TaskProcessor } from './task.processor';
import { WorkerLifecycle } from './worker-lifecycle';
import { WorkerRedisModule } from './worker-redis.module';

/** A worker: consumes the task queue, runs tasks over SSH, keeps Postgres the truth, advances rollouts. */
@Module({
  imports: [
    ConfigModule,
    DbModule,
    SecretsModule,
    WorkerRedisModule,
    TaskRunnerModule,
    RolloutOrchestrationModule,
    // Facts become node.observed and drift; the facts refresh timer.
    DriftWorkerModule,
    // Alert rules evaluated on the Clock, and the deliveries' queue.
    AlertsWorkerModule,
    // Each node's new certificate fingerprints, recorded from its facts (GET /certificates shows them).
    CertificateHistoryModule,
    // Maintenance windows: the release gate of held scheduled tasks, and rollout batches wait for them (global).
    WindowsGateModule,
    // Schedules: firing (sweep and BullMQ wake-ups) and the release of held scheduled tasks.
    SchedulesWorkerModule.forRoot({ releaseGate: WindowsGateModule }),
  ],
  providers: [TaskProcessor, CancelListener, RolloutScheduler, WorkerLifecycle],
})
export class WorkerModule {}
