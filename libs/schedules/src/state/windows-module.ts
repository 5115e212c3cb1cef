import { Global, Module } from '@nestjs/common';
import { ROLLOUT_WINDOWS } from '@pvefleet/rollouts';
import { TASK_RELEASE_GATE } from './task-release-gate';
import { WindowsReleaseGate } from './windows-release-gate';
import { WindowsRepository } from './windows-repository';
import { WindowsRolloutGate } from './windows-rollout-gate';
import { WindowsService } from './windows-service';
import { WindowsWorkHistory } from './windows-work-history';

/** Maintenance windows over Postgres: their CRUD and revisions, node lookups, work history. Needs DbModule and ConfigModule (global). */
@Module({
  providers: [WindowsRepository, WindowsService, WindowsWorkHistory],
  exports: [WindowsRepository, WindowsService, WindowsWorkHistory],
})
export class WindowsModule {}

/**
 * The worker's gates of maintenance windows: TASK_RELEASE_GATE for held scheduled tasks and
 * ROLLOUT_WINDOWS for rollout batches. Global, so the schedules' release loop and the rollout
 * orchestration module see them without importing this package.
 */
@Global()
@Module({
  imports: [WindowsModule],
  providers: [
    WindowsReleaseGate,
    { provide: TASK_RELEASE_GATE, useExisting: WindowsReleaseGate },
    WindowsRolloutGate,
    { provide: ROLLOUT_WINDOWS, useExisting: WindowsRolloutGate },
  ],
  exports: [TASK_RELEASE_GATE, ROLLOUT_WINDOWS],
})
export class WindowsGateModule {}
