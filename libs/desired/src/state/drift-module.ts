import { Global, Module } from '@nestjs/common';
import { JobsModule } from '@pvefleet/jobs';
import { NodesModule } from '@pvefleet/nodes';
import { TasksModule } from '@pvefleet/tasks';
import { DESIRED_STATE_CHANGED } from './desired-change';
import { DriftFactsObserver } from './drift-facts-observer';
import { DriftQueryService } from './drift-query.service';
import { DriftRecompute } from './drift-recompute';
import { DriftRepository } from './drift-repository';
import { FactsRefreshRound } from './facts-refresh-round';
import { FactsRefreshScheduler } from './facts-refresh-scheduler';
import { FactsRefreshSettings } from './facts-refresh-settings';
import { ReconcileService } from './reconcile.service';

/**
 * Drift and reconcile (API and worker): recomputation, the views, POST /reconcile, and
 * DESIRED_STATE_CHANGED for the profile and override services. Global, so that token reaches them
 * wherever they are declared. Needs DbModule (global) and, through TasksModule, TASK_REDIS.
 */
@Global()
@Module({
  imports: [TasksModule, NodesModule, JobsModule],
  providers: [
    DriftRepository,
    FactsRefreshSettings,
    DriftRecompute,
    DriftQueryService,
    ReconcileService,
    { provide: DESIRED_STATE_CHANGED, useExisting: DriftRecompute },
  ],
  exports: [DriftRepository, FactsRefreshSettings, DriftRecompute, DriftQueryService, ReconcileService, DESIRED_STATE_CHANGED],
})
export class DriftModule {}

/**
 * The worker's side: the facts observer that the task runner finds (facts become `node.observed`,
 * then drift), and the facts refresh timer.
 */
@Module({
  imports: [DriftModule, TasksModule],
  providers: [DriftFactsObserver, FactsRefreshRound, FactsRefreshScheduler],
})
export class DriftWorkerModule {}
