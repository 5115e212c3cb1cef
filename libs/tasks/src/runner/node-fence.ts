import { shellQuote } from '@pvefleet/jobs';

/**
 * The fence where the work happens: every command of a mutating task runs under one flock(1) on
 * the node itself, so two mutating commands never overlap on a node whatever Postgres, leases or
 * workers say (a worker cut off from the database, a lease that expired under a live command, a
 * command that outlived its SSH connection). /run is tmpfs: a reboot drops the lock with the
 * processes that held it.
 */
export const NODE_LOCK_PATH = '/run/lock/pvefleet-mutating.lock';

/** flock's exit code when the lock did not come within the wait (EX_TEMPFAIL). */
export const NODE_LOCK_BUSY_EXIT = 75;

/**
 * The command as the node runs it: bash (the login shell on PVE, so the command means the same),
 * under the node lock, waiting at most as long as the command itself may run. `-o` keeps the lock
 * with flock alone, so a daemon the command starts never inherits it.
 */
export function fencedCommand(command: string, timeoutMs: number): string {
  const waitSeconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  return `flock -o -w ${waitSeconds} -E ${NODE_LOCK_BUSY_EXIT} ${NODE_LOCK_PATH} bash -c ${shellQuote(command)}`;
}
