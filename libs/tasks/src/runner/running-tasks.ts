/** The tasks this worker process is running now, each with the switch that cancels it. */
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

  ids(): string[] {
    return [...this.running.keys()];
  }

  get size(): number {
    return this.running.size;
  }
}
