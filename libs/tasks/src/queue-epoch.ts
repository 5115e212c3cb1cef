import type { TaskQueue } from './task-queue';

/**
 * Tells when Redis lost the queue: a marker key the workers keep in Redis. A `FLUSHALL`, a Redis
 * restarted without persistence, or a Redis replaced by a new one comes back without it, and the
 * first worker to notice puts it back and re-enqueues every queued task at once, instead of waiting
 * for those tasks to grow old enough for the stale-task scan. Re-enqueueing is harmless: job ids
 * are the task ids, so a job Redis still has is not added twice.
 */
export class QueueEpoch {
  constructor(private readonly queue: TaskQueue) {}

  /** True exactly once per loss (SET NX): the marker was missing and this caller put it back. */
  async lost(): Promise<boolean> {
    const client = await this.queue.queue.getBackend().client;
    return (await client.runCommand('set', [this.key, new Date().toISOString(), 'NX'])) === 'OK';
  }

  private get key(): string {
    return `${this.queue.queue.opts.prefix ?? 'bull'}:${this.queue.queue.name}:pvefleet-epoch`;
  }
}
