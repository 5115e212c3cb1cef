/** One time a lock was held: what held it and when (simulated ms), for tests that prove exclusion. */
export interface LockHold {
  path: string;
  command: string;
  since: number;
  until: number | null;
}

const HISTORY = 10_000;

/**
 * flock(2) locks of one node, by path: exclusive, granted in arrival order, released when the
 * holding process ends. Locks live in memory like the kernel's, so a reboot drops them all.
 */
export class FileLocks {
  private readonly holders = new Map<string, LockHold>();
  private readonly queues = new Map<string, (() => void)[]>();
  readonly history: LockHold[] = [];

  constructor(private readonly now: () => number) {}

  /**
   * Waits for the lock; resolves with a release function, or null when `timeoutMs` passed (0: do
   * not wait) or the signal fired first.
   */
  async acquire(path: string, command: string, signal: AbortSignal, timeoutMs: number): Promise<(() => void) | null> {
    while (this.holders.has(path)) {
      if (timeoutMs <= 0 || signal.aborted) return null;
      const started = Date.now();
      const woken = await this.waitTurn(path, signal, timeoutMs);
      if (!woken) return null;
      timeoutMs -= Date.now() - started;
    }
    const hold: LockHold = { path, command, since: this.now(), until: null };
    this.holders.set(path, hold);
    this.history.push(hold);
    if (this.history.length > HISTORY) this.history.splice(0, this.history.length - HISTORY);
    return () => {
      this.release(path, hold);
    };
  }

  /** The node rebooted: every process, and so every lock, is gone. */
  dropAll(): void {
    for (const [path, hold] of this.holders) this.release(path, hold);
  }

  private release(path: string, hold: LockHold): void {
    if (this.holders.get(path) !== hold) return;
    hold.until = this.now();
    this.holders.delete(path);
    this.queues.get(path)?.shift()?.();
  }

  private waitTurn(path: string, signal: AbortSignal, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const queue = this.queues.get(path) ?? [];
      this.queues.set(path, queue);
      const done = (woken: boolean): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        const i = queue.indexOf(wake);
        if (i >= 0) queue.splice(i, 1);
        // A waiter that gives up passes its turn on, so nobody behind it waits on a free lock.
        if (!woken && !this.holders.has(path)) queue.shift()?.();
        resolve(woken);
      };
      const wake = (): void => {
        done(true);
      };
      const onAbort = (): void => {
        done(false);
      };
      const timer = setTimeout(() => {
        done(false);
      }, timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      queue.push(wake);
    });
  }
}
