import { Injectable, Module } from '@nestjs/common';
import { TASK_RELEASE_GATE, type HeldTask, type TaskReleaseGate } from './task-release-gate';

/** The gate when nothing holds work back: every due task starts now. */
@Injectable()
export class ReleaseAllGate implements TaskReleaseGate {
  decide(due: readonly HeldTask[]): Promise<Map<string, 'release' | Date>> {
    return Promise.resolve(new Map(due.map((task) => [task.id, 'release' as const])));
  }
}

/**
 * Provides TASK_RELEASE_GATE as ReleaseAllGate. A module that gates differently (maintenance
 * windows) exports TASK_RELEASE_GATE the same way and is passed to SchedulesWorkerModule instead.
 */
@Module({
  providers: [{ provide: TASK_RELEASE_GATE, useClass: ReleaseAllGate }],
  exports: [TASK_RELEASE_GATE],
})
export class ReleaseAllGateModule {}
