import { Module } from '@nestjs/common';
import { CLOCK, type Clock } from '@pvefleet/config';
import { DesiredStateModule } from '@pvefleet/desired/state';
import { JobsModule } from '@pvefleet/jobs';
import { NodesModule } from '@pvefleet/nodes';
import { TaskSubmissionService, TasksModule } from '@pvefleet/tasks';
import { RolloutOrchestrator } from './rollout-orchestrator';
import { RolloutRepository } from './rollout.repository';
import { RolloutsService } from './rollouts.service';
import { ROLLOUT_WINDOWS, type RolloutWindows } from './rollout-windows';

/**
 * What advances rollouts (the worker's scheduler ticks it): the orchestrator and the rollout SQL.
 * Needs DbModule (global).
 */
@Module({
  imports: [TasksModule],
  providers: [
    RolloutRepository,
    {
      provide: RolloutOrchestrator,
      // ROLLOUT_WINDOWS: maintenance windows, when the app provides them (the worker does, WindowsGateModule).
      inject: [RolloutRepository, TaskSubmissionService, { token: ROLLOUT_WINDOWS, optional: true }, CLOCK],
      useFactory: (rollouts: RolloutRepository, submission: TaskSubmissionService, windows: RolloutWindows | undefined, clock: Clock) =>
        new RolloutOrchestrator(rollouts, submission, windows, clock),
    },
  ],
  exports: [RolloutRepository, RolloutOrchestrator],
})
export class RolloutOrchestrationModule {}

/**
 * Rollouts as the API offers them: creating, listing and steering them (RolloutsService), plus the
 * orchestration. The worker needs only RolloutOrchestrationModule.
 */
@Module({
  imports: [RolloutOrchestrationModule, TasksModule, JobsModule, NodesModule, DesiredStateModule],
  providers: [RolloutsService],
  exports: [RolloutOrchestrationModule, RolloutsService],
})
export class RolloutsModule {}
