import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@pvefleet/config';
import { TaskRunRepository } from '../persistence/task-run.repository';
import { TaskQueue, type TaskJobData } from '../task-queue';
import { RunningTasks } from './running-tasks';
import { TaskRunner } from './task-runner';
import { WORKER_ID } from './worker-id';

export type DispatchOutcome = 'ran' | 'skipped' | 'busy';

/**
 * Turns a queue delivery into a run: mutating tasks first take their node's lease, then every task
 * is claimed in Postgres. Redis may deliver a job twice or after its task was cancelled; the claim's
 * `WHERE status = 'queued'` makes that harmless.
 */
@Injectable()
export class TaskDispatcher {
  /** How long a node lease lives without a heartbeat; a dead worker's lease frees itself after this. */
  private readonly leaseMs: number;

  constructor(
    @Inject(TaskRunRepository) private readonly store: TaskRunRepository,
    @Inject(TaskRunner) private readonly runner: TaskRunner,
    @Inject(RunningTasks) private readonly running: RunningTasks,
    @Inject(TaskQueue) private readonly queue: TaskQueue,
    @Inject(WORKER_ID) private readonly workerId: string,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'taskLeaseMs'>,
  ) {
    this.leaseMs = config.taskLeaseMs;
  }

  async dispatch({ taskId, nodeId, mutating }: TaskJobData): Promise<DispatchOutcome> {
    const leased = mutating && nodeId !== null;
    if (leased && !(await this.store.acquireLease(nodeId, taskId, this.leaseMs))) return 'busy';
    const task = await this.store.claim(taskId, this.workerId);
    if (!task) {
      if (leased) await this.store.releaseLease(nodeId, taskId);
      return 'skipped';
    }
    const signal = this.running.start(taskId);
    try {
      // Its completion also releases the lease.
      const handedBack = await this.runner.run(task, signal);
      if (handedBack) await this.queue.enqueue([handedBack]);
    } finally {
      this.running.end(taskId);
    }
    if (leased) {
      const next = await this.store.nextQueuedMutating(nodeId);
      if (next) await this.queue.wake(next);
    }
    return 'ran';
  }
}
