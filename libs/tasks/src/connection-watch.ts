import { Logger } from '@nestjs/common';

interface Watchable {
  on(event: 'error', listener: (err: Error & { code?: string }) => void): unknown;
  on(event: 'ready', listener: () => void): unknown;
}

/**
 * Logs a connection's state changes as one line each: lost (with the reason) and back. Without
 * this a Redis restart printed a stack trace for every reconnect attempt of every client. Repeats
 * of an outage are not logged again; what matters is when it began and when it ended.
 */
export function watchConnection(name: string, conn: Watchable, logger = new Logger('Connections')): void {
  let lostAt: number | null = null;
  conn.on('error', (err) => {
    if (lostAt !== null) return;
    lostAt = Date.now();
    logger.warn(`${name}: connection lost (${err.code ?? err.message}); retrying`);
  });
  conn.on('ready', () => {
    if (lostAt === null) return;
    logger.log(`${name}: connection back after ${((Date.now() - lostAt) / 1000).toFixed(1)} s`);
    lostAt = null;
  });
}
