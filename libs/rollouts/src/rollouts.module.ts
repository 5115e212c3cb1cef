import { Module } from '@nestjs/common';
import { DesiredStateModule } from '@pvefleet/desired/state';
import { JobsModule } from '@pvefleet/jobs';
import { NodesModule } from '@pvefleet/nodes';
import { TaskSubmissionService, TasksModule } from '@pvefleet/tasks';
import { RolloutOrchestrator } from './rollout-orchestrator';
import { RolloutRepository } from './rollout.repository';
import { RolloutsService } from './rollouts.service';

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
      inject: [RolloutRepository, TaskSubmissionService],
      useFactory: (rollouts: RolloutRepository, submission: TaskSubmissionService) => new RolloutOrchestrator(rollouts, submission),
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
