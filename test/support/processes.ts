// pvefleet's built apps as child processes, for the e2e tests (test/support/stack.ts) and the
// benchmarks (bench/lib/harness.ts) alike. No test framework here: benches import it too.
import { spawn, type ChildProcess } from 'node:child_process';
import { API_NODE_ARGS } from '../../scripts/lib/node-flags.mjs';

export const API_MAIN = 'dist/apps/api/apps/api/src/main.js';
export const WORKER_MAIN = 'dist/apps/worker/apps/worker/src/main.js';
export const SIM_MAIN = 'dist/apps/simulator/apps/simulator/src/main.js';

/** A running app and the tail of what it printed (stdout and stderr, interleaved). */
export interface Proc {
  child: ChildProcess;
  output: string[];
}

export interface SpawnOptions {
  /** Node flags before the API's own and the script, e.g. --cpu-prof. */
  nodeArgs?: string[];
  /** Chunks of output kept; the oldest quarter is dropped past it. */
  keepChunks?: number;
}

/** Starts a built app (the API with its V8 flags) with exactly `env`. */
export function spawnApp(main: string, env: Record<string, string>, opts: SpawnOptions = {}): Proc {
  const own = main === API_MAIN ? API_NODE_ARGS : [];
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...own, main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const keep = opts.keepChunks ?? 400;
  const onData = (b: Buffer): void => {
    output.push(b.toString());
    if (output.length > keep) output.splice(0, Math.ceil(keep / 4));
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return { child, output };
}

/** What every pvefleet process of a test or bench gets: where Postgres and Redis are, its prefix, token, key and port. */
export function pvefleetEnv(base: {
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  adminToken: string;
  masterKey: string;
  port: number;
}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    DATABASE_URL: base.databaseUrl,
    REDIS_URL: base.redisUrl,
    PVEFLEET_REDIS_PREFIX: base.redisPrefix,
    PVEFLEET_ADMIN_TOKEN: base.adminToken,
    PVEFLEET_MASTER_KEY: base.masterKey,
    PORT: String(base.port),
    HOST: '127.0.0.1',
    // No facts refresh timer unless a test asks for one: its rounds would add facts tasks for every
    // node of the shared database to every other test's counts.
    PVEFLEET_FACTS_REFRESH_MINUTES: '0',
    // The built-in certificate renewal schedule is created paused: enabled, every test that moves the
    // clock past 03:30 UTC would renew across the shared database's nodes (a test resumes it when it wants it).
    PVEFLEET_CERTIFICATE_RENEWAL: 'paused',
  };
}

/** Sends `signal` and waits for the exit; SIGKILL after 10 s. */
export function stopProc(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/** SIGTERM, and the exit code it ended with (no SIGKILL fallback: the test judges the exit). */
export function terminateProc(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}

/**
 * Polls the API's /health until it answers one of `statuses`; fails at once when the API process
 * exits, and after `timeoutMs`, with what it printed.
 */
export async function waitHealthy(opts: {
  baseUrl: string;
  api: Proc;
  statuses?: number[];
  timeoutMs?: number;
  output?: () => string;
}): Promise<void> {
  const statuses = opts.statuses ?? [200];
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const output = opts.output ?? (() => opts.api.output.join(''));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (opts.api.child.exitCode !== null) throw new Error(`the API exited:\n${output()}`);
    const status = await fetch(`${opts.baseUrl}/api/v1/health`).then(
      (r) => r.status,
      () => undefined, // not listening yet
    );
    if (status !== undefined && statuses.includes(status)) return;
    if (Date.now() > deadline) throw new Error(`the API is not healthy after ${timeoutMs / 1000} s:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
