import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobsModule } from '@pvefleet/jobs';
import { NodeAccessModule } from '@pvefleet/nodes/access';
import { SshModule } from '@pvefleet/ssh';
import { TaskLogWriter } from '../log/task-log.writer';
import { TaskRunRepository } from '../persistence/task-run.repository';
import { WorkerPresenceRepository } from '../persistence/worker-presence.repository';
import { FactsObservers } from '../runner/facts-observers';
import { NodeConnector } from '../runner/node-connection';
import { RebootProtocol } from '../runner/reboot-protocol';
import { RunningTasks } from '../runner/running-tasks';
import { StepExecutor } from '../runner/step-executor';
import { TaskDispatcher } from '../runner/task-dispatcher';
import { TaskMaintenance } from '../runner/task-maintenance';
import { TaskRunner } from '../runner/task-runner';
import { WORKER_ID, newWorkerId } from '../runner/worker-id';
import { WorkerPresence } from '../runner/worker-presence';
import { TasksModule } from '../tasks.module';

/**
 * Running tasks: the worker's side. Needs what TasksModule needs (DbModule, ConfigModule, a global
 * TASK_REDIS); brings the SSH pool and node access.
 */
@Module({
  imports: [TasksModule, JobsModule, NodeAccessModule, SshModule, DiscoveryModule],
  providers: [
    { provide: WORKER_ID, useFactory: newWorkerId },
    RunningTasks,
    TaskRunRepository,
    WorkerPresenceRepository,
    WorkerPresence,
    TaskLogWriter,
    NodeConnector,
    StepExecutor,
    RebootProtocol,
    FactsObservers,
    TaskRunner,
    TaskDispatcher,
    TaskMaintenance,
  ],
  exports: [WORKER_ID, RunningTasks, TaskDispatcher, TaskMaintenance, TaskLogWriter, TasksModule, SshModule],
})
export class TaskRunnerModule {}
