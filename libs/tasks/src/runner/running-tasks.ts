import { Injectable } from '@nestjs/common';

/**
 * Why a task is stopped when its worker shuts down and the grace period is over: a read-only task
 * stopped for this reason goes back to the queue for another worker instead of ending.
 */
export const HAND_BACK = 'the worker stopping (grace period over)';

/** The tasks this worker process is running now, each with the switch that cancels it. */
@Injectable()
export class RunningTasks {
  private readonly running = new Map<string, AbortController>();

  start(taskId: string): AbortSignal {
    const ac = new AbortController();
    this.running.set(taskId, ac);
    return ac.signal;
  }

  end(taskId: string): void {
    this.running.delete(taskId);
  }

  /** `by` (who cancelled) becomes the abort reason, which the runner writes to the task log. */
  cancel(taskId: string, by = 'a cancel request'): boolean {
    const ac = this.running.get(taskId);
    ac?.abort(by);
    return ac !== undefined;
  }

  has(taskId: string): boolean {
    return this.running.has(taskId);
  }

  /** Stops every running task with the same reason (a shutdown). */
  cancelAll(by: string): void {
    for (const id of this.running.keys()) this.cancel(id, by);
  }

  ids(): string[] {
    return [...this.running.keys()];
  }

  get size(): number {
    return this.running.size;
  }
}
