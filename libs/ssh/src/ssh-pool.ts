import type { SshSession } from './ssh-session';

export interface SshPoolOptions {
  /** How long an idle connection is kept for the next task (like OpenSSH's ControlPersist). 0 disables reuse. */
  idleMs: number;
  maxIdle: number;
}

interface IdleEntry {
  session: SshSession;
  timer: NodeJS.Timeout;
}

/**
 * Keeps connections open between tasks, keyed by everything that decides who we log in as where
 * (host, port, user, credential). A task takes a connection to itself and gives it back when done.
 */
export class SshPool {
  private readonly idle = new Map<string, IdleEntry[]>();
  private idleCount = 0;

  constructor(private readonly opts: SshPoolOptions) {}

  /** An idle connection for `key` that still works and still presents the pinned host key, if any. */
  take(key: string, pinnedFingerprint?: string | null): SshSession | undefined {
    const list = this.idle.get(key);
    while (list?.length) {
      const entry = list.pop()!;
      this.idleCount--;
      clearTimeout(entry.timer);
      const s = entry.session;
      if (s.usable && (!pinnedFingerprint || s.hostKey.fingerprint === pinnedFingerprint)) {
        if (!list.length) this.idle.delete(key);
        return s;
      }
      s.close();
    }
    this.idle.delete(key);
    return undefined;
  }

  give(key: string, session: SshSession): void {
    if (!session.usable || this.opts.idleMs === 0) {
      session.close();
      return;
    }
    if (this.idleCount >= this.opts.maxIdle) this.evictOldest();
    const timer = setTimeout(() => this.drop(key, session), this.opts.idleMs);
    timer.unref();
    const list = this.idle.get(key) ?? [];
    list.push({ session, timer });
    this.idle.set(key, list);
    this.idleCount++;
  }

  get size(): number {
    return this.idleCount;
  }

  closeAll(): void {
    for (const list of this.idle.values()) {
      for (const e of list) {
        clearTimeout(e.timer);
        e.session.close();
      }
    }
    this.idle.clear();
    this.idleCount = 0;
  }

  private drop(key: string, session: SshSession): void {
    const list = this.idle.get(key);
    const i = list?.findIndex((e) => e.session === session) ?? -1;
    if (!list || i < 0) return;
    clearTimeout(list[i].timer);
    list.splice(i, 1);
    this.idleCount--;
    if (!list.length) this.idle.delete(key);
    session.close();
  }

  private evictOldest(): void {
    // Map iteration order is insertion order: the first key is the least recently refilled.
    const [key, list] = this.idle.entries().next().value ?? [];
    if (key !== undefined && list?.length) this.drop(key, list[0].session);
  }
}
