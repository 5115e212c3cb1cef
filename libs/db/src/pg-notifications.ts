import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Client, type Notification } from 'pg';

/** The channels the database triggers notify (migration 20261203134500_live_stream_notify); the payload is the id. */
export type NotifyChannel = 'pvefleet_task' | 'pvefleet_rollout';

/**
 * Told when its row changed (`changed`) or when notifications may have been missed (`catch-up`:
 * the listening connection was lost and is back). Either way the subscriber re-reads by position.
 */
export type NotificationListener = (reason: 'changed' | 'catch-up') => void;

const BACKOFF_MS = [100, 250, 500, 1_000, 2_000, 5_000];

/**
 * One listening Postgres connection per process, shared by every live stream in it: streams
 * subscribe to an id on a channel instead of each polling the database. The connection reconnects
 * with backoff; after a reconnect every subscriber is told to catch up, since notifications sent
 * meanwhile are gone.
 */
export class PgNotifications implements OnApplicationShutdown {
  private readonly logger = new Logger('PgNotifications');
  private readonly subscribers = new Map<string, Set<NotificationListener>>();
  private client: Client | undefined;
  private connecting: Promise<void> | undefined;
  private attempt = 0;
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly connectionString: string) {}

  /** Calls `listener` when `id` changes on `channel`; returns the unsubscribe. The first call connects. */
  subscribe(channel: NotifyChannel, id: string, listener: NotificationListener): () => void {
    const key = `${channel}:${id}`;
    let set = this.subscribers.get(key);
    if (!set) this.subscribers.set(key, (set = new Set()));
    set.add(listener);
    void this.ensureConnected();
    return () => {
      set.delete(listener);
      if (!set.size) this.subscribers.delete(key);
    };
  }

  /** Connected and listening (tests, health). */
  get listening(): boolean {
    return this.client !== undefined && this.connecting === undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    if (client)
      await client.end().catch((err: unknown) => {
        this.logger.warn(`closing the listening connection: ${messageOf(err)}`);
      });
  }

  private ensureConnected(): Promise<void> {
    if (this.stopped || this.client || this.retry) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.connectionString,
      application_name: 'pvefleet-listen',
      connectionTimeoutMillis: 10_000,
    });
    client.on('notification', (n) => {
      this.dispatch(n);
    });
    client.on('error', (err) => {
      this.lost(client, err);
    });
    client.on('end', () => {
      this.lost(client, new Error('connection ended'));
    });
    try {
      await client.connect();
      await client.query('LISTEN pvefleet_task');
      await client.query('LISTEN pvefleet_rollout');
    } catch (err) {
      this.close(client);
      this.scheduleReconnect(err);
      return;
    }
    if (this.stopped) {
      await client.end();
      return;
    }
    const recovered = this.attempt > 0;
    this.attempt = 0;
    this.client = client;
    if (recovered) {
      this.logger.log('listening again; live streams catch up');
      this.broadcast('catch-up');
    }
  }

  private lost(client: Client, err: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners('end');
    this.close(client);
    if (this.stopped) return;
    // Streams keep their slow safety re-check meanwhile; they catch up once the connection is back.
    this.broadcast('catch-up');
    this.scheduleReconnect(err);
  }

  /** A connection that failed or was lost: closing it may fail too, which changes nothing. */
  private close(client: Client): void {
    client.end().catch((err: unknown) => {
      this.logger.debug(`closing a lost listening connection: ${messageOf(err)}`);
    });
  }

  private scheduleReconnect(err: unknown): void {
    if (this.stopped) return;
    const delay = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    if (this.attempt === 0 || this.attempt % 10 === 0) {
      this.logger.warn(`listening connection lost (${messageOf(err)}); reconnecting in ${delay} ms`);
    }
    this.attempt++;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      // Only while someone listens: an idle process keeps no connection retrying.
      if (this.subscribers.size) void this.ensureConnected();
    }, delay);
    this.retry.unref();
  }

  private dispatch(n: Notification): void {
    const set = this.subscribers.get(`${n.channel}:${n.payload ?? ''}`);
    if (set) for (const listener of [...set]) listener('changed');
  }

  private broadcast(reason: 'catch-up'): void {
    for (const set of this.subscribers.values()) for (const listener of [...set]) listener(reason);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
