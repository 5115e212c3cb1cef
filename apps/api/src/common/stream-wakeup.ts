import type { NotificationListener } from '@pvefleet/db';

/**
 * Lets a live stream sleep until its row changes (a Postgres notification) or a safety interval
 * passes. A change that arrives while the stream is busy writing is remembered, so the next wait
 * returns at once: subscribing before the first read means nothing falls between read and wait.
 */
export class StreamWakeup {
  private pending = false;
  private wake: (() => void) | undefined;

  readonly listener: NotificationListener = () => {
    this.pending = true;
    this.wake?.();
  };

  /** Resolves at the next change (or at once if one came since the last wait), at the latest after `ms`. */
  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        this.pending = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
