import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { JobsModule } from '@pvefleet/jobs';
import { NodesModule } from '@pvefleet/nodes';
import { RolloutsModule } from '@pvefleet/rollouts';
import { TasksModule } from '@pvefleet/tasks';
import { HeldTaskRepository } from './held-task.repository';
import { ReleaseAllGateModule } from './release-all-gate';
import { ScheduleActionRunner } from './schedule-action-runner';
import { ScheduleFirer } from './schedule-firer';
import { ScheduleRepository } from './schedule.repository';
import { ScheduleRunRepository } from './schedule-run.repository';
import { ScheduleSweep } from './schedule-sweep';
import { ScheduleWakeups } from './schedule-wakeups';
import { SchedulesService } from './schedules.service';
import { TaskRelease } from './task-release';

/** Schedules as the API offers them (SchedulesService) and the repositories. Needs DbModule and ConfigModule (global). */
@Module({
  imports: [TasksModule, JobsModule],
  providers: [ScheduleRepository, ScheduleRunRepository, SchedulesService],
  exports: [ScheduleRepository, ScheduleRunRepository, SchedulesService],
})
export class SchedulesModule {}

export interface SchedulesWorkerOptions {
  /**
   * A module exporting TASK_RELEASE_GATE (e.g. maintenance windows). Default: ReleaseAllGateModule,
   * every due held task starts.
   */
  releaseGate?: NonNullable<ModuleMetadata['imports']>[number];
}

/**
 * The worker's side: firing (the sweep and the BullMQ wake-ups, both through ScheduleFirer) and the
 * task release loop, which asks TASK_RELEASE_GATE. Needs ReconcileService (DriftModule, global).
 */
@Module({})
export class SchedulesWorkerModule {
  static forRoot(options: SchedulesWorkerOptions = {}): DynamicModule {
    return {
      module: SchedulesWorkerModule,
      imports: [SchedulesModule, TasksModule, NodesModule, RolloutsModule, options.releaseGate ?? ReleaseAllGateModule],
      providers: [HeldTaskRepository, ScheduleActionRunner, ScheduleFirer, ScheduleSweep, ScheduleWakeups, TaskRelease],
      exports: [ScheduleFirer, TaskRelease],
    };
  }
}
