import { Client } from 'pg';
import { classifyDbFailure } from './db-failure';

/** The database could not be used at start: main prints this one line and exits non-zero. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

export interface DatabaseWaitOptions {
  /** Who is waiting, for the message: `pvefleet api`, `pvefleet worker`. */
  process: string;
  databaseUrl: string;
  /** 0 tries once. */
  waitSeconds: number;
  /** Where the one line goes (stderr in the apps, a list in tests). */
  say?: (line: string) => void;
  /** Overridable for tests: the first retry waits this long, doubling up to 5 s. */
  firstDelayMs?: number;
}

const MAX_DELAY_MS = 5_000;

/** `host:port` of a postgresql:// URL, as an operator would look for it (no user, no password). */
export function databaseAddress(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}`;
  } catch {
    return 'an unparsable address';
  }
}

/**
 * Before anything else connects: a database that is away (refused, reset, timed out, starting up) is
 * retried with backoff for up to `waitSeconds`, said once in one line; one that refuses us (bad
 * password, no such database) is not retried. Either way the caller gets a StartupError, never a
 * driver's stack trace.
 */
export async function waitForDatabase(opts: DatabaseWaitOptions): Promise<void> {
  const say =
    opts.say ??
    ((line: string) => {
      console.error(line);
    });
  const where = `${databaseAddress(opts.databaseUrl)} (DATABASE_URL)`;
  const deadline = Date.now() + opts.waitSeconds * 1000;
  let delay = opts.firstDelayMs ?? 250;
  let announced = false;
  for (;;) {
    const failure = await probe(opts.databaseUrl);
    if (!failure) return;
    const code = typeof (failure as { code?: unknown }).code === 'string' ? ` [${(failure as { code: string }).code}]` : '';
    if (classifyDbFailure(failure) === 'rejected') {
      throw new StartupError(`${opts.process}: the database at ${where} refused the connection${code}: ${firstLine(failure)}`);
    }
    if (Date.now() + delay > deadline) {
      throw new StartupError(`${opts.process}: database still unreachable at ${where} after ${opts.waitSeconds} s${code}; exiting`);
    }
    if (!announced) {
      say(`${opts.process}: database unreachable at ${where}${code}; retrying for up to ${opts.waitSeconds} s`);
      announced = true;
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  }
}

/** One connection and `SELECT 1`: the error, or undefined when the database answers. */
async function probe(url: string): Promise<unknown> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000, application_name: 'pvefleet-start' });
  // Errors the client emits besides rejecting a call (the server going away mid-probe) count too.
  let emitted: unknown;
  client.on('error', (err) => {
    emitted ??= err;
  });
  let failure: unknown;
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    failure = err ?? new Error('unknown failure');
  }
  try {
    await client.end();
  } catch (err) {
    // A client that never connected may fail to end as well: the first failure is the answer.
    failure ??= err;
  }
  return failure ?? emitted;
}

const firstLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0];
