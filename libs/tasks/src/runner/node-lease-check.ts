import { classifyDbFailure } from '@pvefleet/db';
import type { TaskLog } from '../log/task-log.writer';
import type { ClaimedTask, TaskRunRepository } from '../persistence/task-run.repository';
import { abortableSleep } from './step-executor';
import { TaskFailure } from '../task-failure';

const RETRY_MS = 1_000;

/** What a mutating task checks before each of its commands. */
export interface LeaseConfirmation {
  confirm(log: TaskLog, abort: AbortSignal): Promise<void>;
}

/**
 * The worker's side of fencing. Before every command of a mutating task it renews the task's node
 * lease in Postgres. While Postgres cannot be reached, no command starts (the task waits and says
 * so); once it answers again, a task whose lease passed to another task meanwhile stops before its
 * next command instead of interleaving its commands with that task's. A command already running is
 * left to finish: the node's own lock keeps any other mutating command waiting until it does, and
 * killing, say, dpkg half-way through an upgrade would do the node more harm than waiting.
 */
export class NodeLeaseCheck {
  constructor(
    private readonly store: TaskRunRepository,
    private readonly leaseMs: number,
  ) {}

  for(task: ClaimedTask): LeaseConfirmation | undefined {
    const nodeId = task.nodeId;
    if (!task.mutating || nodeId === null) return undefined;
    return { confirm: (log, abort) => this.confirm(nodeId, task.id, log, abort) };
  }

  private async confirm(nodeId: number, taskId: string, log: TaskLog, abort: AbortSignal): Promise<void> {
    let waiting = false;
    for (;;) {
      let held: boolean;
      try {
        held = await this.store.acquireLease(nodeId, taskId, this.leaseMs);
      } catch (err) {
        if (classifyDbFailure(err) === 'rejected') throw err;
        if (!waiting) log.write('sys', 'cannot reach Postgres to renew the node lease: no further command starts until it answers');
        waiting = true;
        await abortableSleep(RETRY_MS, abort);
        if (abort.aborted) throw new TaskFailure('received interrupt', 'cancelled');
        continue;
      }
      if (held) {
        if (waiting) log.write('sys', 'Postgres answers again and this task still holds the node: going on');
        return;
      }
      // 'retryable', not 'interrupted': its worker is alive, and a rollout re-runs only steps whose worker was lost.
      throw new TaskFailure(
        'interrupted: the node lease passed to another task while this worker could not renew it; stopped before its next command',
        'retryable',
      );
    }
  }
}
