import type { SshSession } from './ssh-session';

export interface SshPoolOptions {
  /** How long an unused connection is kept for the next task (like OpenSSH's ControlPersist). 0 disables reuse. */
  idleMs: number;
  /** Unused connections kept at most; the least recently used go first. */
  maxIdle: number;
  /**
   * Tasks that may share one connection, each on its own channel. OpenSSH allows 10 sessions per
   * connection (MaxSessions); one is kept free for stopping a command on a second channel.
   */
  maxShared?: number;
}

interface Entry {
  session: SshSession;
  users: number;
  idleTimer?: NodeJS.Timeout;
}

/**
 * Connections to nodes, kept open between tasks and shared by concurrent ones, keyed by everything
 * that decides who we log in as where (host, port, user, credential). A handshake costs far more
 * than a channel, so a node gets a second connection only when the first has no channel to spare.
 */
export class SshPool {
  private readonly entries = new Map<string, Entry[]>();
  private idleCount = 0;

  constructor(private readonly opts: SshPoolOptions) {}

  private get maxShared(): number {
    return this.opts.maxShared ?? 8;
  }

  /** A live connection for `key` with a channel to spare that presents the pinned host key, if any. */
  take(key: string, pinnedFingerprint?: string | null): SshSession | undefined {
    const list = this.entries.get(key);
    if (!list) return undefined;
    for (const e of [...list]) {
      if (!e.session.usable || (pinnedFingerprint && e.session.hostKey.fingerprint !== pinnedFingerprint)) {
        if (e.users === 0) this.remove(key, e);
        continue;
      }
      if (e.users >= this.maxShared) continue;
      this.use(e);
      return e.session;
    }
    return undefined;
  }

  /** Starts tracking a connection a task just opened (the task is its first user). */
  add(key: string, session: SshSession): void {
    const list = this.entries.get(key) ?? [];
    list.push({ session, users: 1 });
    this.entries.set(key, list);
  }

  /** A task is done with the connection: it stays for others unless it died (or reuse is off). */
  give(key: string, session: SshSession): void {
    const list = this.entries.get(key);
    const e = list?.find((x) => x.session === session);
    if (!e) {
      session.close();
      return;
    }
    e.users = Math.max(0, e.users - 1);
    if (e.users > 0) return;
    if (!session.usable || this.opts.idleMs === 0) {
      this.remove(key, e);
      return;
    }
    if (this.idleCount >= this.opts.maxIdle) this.evictOldestIdle();
    e.idleTimer = setTimeout(() => {
      this.remove(key, e);
    }, this.opts.idleMs);
    e.idleTimer.unref();
    this.idleCount++;
  }

  /** Connections open now (idle or in use). */
  get size(): number {
    let n = 0;
    for (const list of this.entries.values()) n += list.length;
    return n;
  }

  get idle(): number {
    return this.idleCount;
  }

  closeAll(): void {
    for (const [key, list] of this.entries) for (const e of [...list]) this.remove(key, e);
  }

  private use(e: Entry): void {
    if (e.users === 0 && e.idleTimer) {
      clearTimeout(e.idleTimer);
      e.idleTimer = undefined;
      this.idleCount--;
    }
    e.users++;
  }

  private remove(key: string, e: Entry): void {
    const list = this.entries.get(key);
    const i = list?.indexOf(e) ?? -1;
    if (list && i >= 0) list.splice(i, 1);
    if (list && !list.length) this.entries.delete(key);
    if (e.idleTimer) {
      clearTimeout(e.idleTimer);
      this.idleCount--;
    }
    e.session.close();
  }

  private evictOldestIdle(): void {
    for (const [key, list] of this.entries) {
      const idle = list.find((e) => e.users === 0);
      if (idle) {
        this.remove(key, idle);
        return;
      }
    }
  }
}
