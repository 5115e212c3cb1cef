import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { inject } from 'vitest';
import { freePort } from '../../scripts/lib/services.mjs';
import { API_MAIN, WORKER_MAIN, pvefleetEnv, spawnApp, stopProc, terminateProc, waitHealthy, type Proc } from './processes';

export interface StackOptions {
  workers?: number;
  concurrency?: number;
  env?: Record<string, string>;
  /** Wait for /health to answer 200 (default); off for tests of an unhealthy stack. */
  waitHealthy?: boolean;
}

/**
 * The real thing for e2e tests: the built API and worker processes against the run's Postgres and
 * Redis, with a key prefix and admin token of their own so stacks never see each other's jobs.
 */
export class Stack {
  readonly token = `test-admin-${randomBytes(12).toString('hex')}`;
  readonly env: Record<string, string>;
  /** The stack's calendar (libs/config/src/clock.ts): every process adds this file's offset to real time. */
  readonly clockFile = join(mkdtempSync(join(tmpdir(), 'pvefleet-clock-')), 'offset-ms');
  private clockOffsetMs = 0;
  private api?: Proc;
  readonly workers: Proc[] = [];

  private constructor(
    readonly port: number,
    opts: StackOptions,
  ) {
    this.env = {
      ...pvefleetEnv({
        databaseUrl: inject('databaseUrl'),
        redisUrl: inject('redisUrl'),
        redisPrefix: `pvefleet-test-${randomBytes(4).toString('hex')}`,
        adminToken: this.token,
        masterKey: randomBytes(32).toString('base64'),
        port,
      }),
      PVEFLEET_WORKER_CONCURRENCY: String(opts.concurrency ?? 20),
      PVEFLEET_SSH_CONNECT_TIMEOUT_MS: '5000',
      PVEFLEET_DB_POOL_SIZE: '5',
      // Tests poll hard (hundreds of waits at once); the limits have a test of their own.
      PVEFLEET_RATE_LIMIT_PER_MIN: '0',
      PVEFLEET_AUTH_FAILURES_PER_MIN: '0',
      PVEFLEET_CLOCK_FILE: this.clockFile,
      ...opts.env,
    };
  }

  static async start(opts: StackOptions = {}): Promise<Stack> {
    const stack = new Stack(await freePort(), opts);
    stack.api = stack.spawn(API_MAIN);
    for (let i = 0; i < (opts.workers ?? 1); i++) stack.workers.push(stack.spawn(WORKER_MAIN));
    await stack.waitHealthy(opts.waitHealthy === false ? [200, 503] : [200]);
    return stack;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** supertest against the API, authenticated as the bootstrap admin. */
  get http() {
    const agent = request(this.url);
    const auth = `Bearer ${this.token}`;
    return {
      get: (path: string) => agent.get(`/api/v1${path}`).set('Authorization', auth),
      post: (path: string, body?: object) => agent.post(`/api/v1${path}`).set('Authorization', auth).send(body),
      patch: (path: string, body?: object) => agent.patch(`/api/v1${path}`).set('Authorization', auth).send(body),
      delete: (path: string) => agent.delete(`/api/v1${path}`).set('Authorization', auth),
      raw: agent,
    };
  }

  /** The stack's calendar time now: what its processes see (within the clock file's 100 ms re-read). */
  now(): Date {
    return new Date(Date.now() + this.clockOffsetMs);
  }

  /**
   * Moves every process's calendar to `at` (schedules, windows, certificate days left), without
   * waiting; resolves once the processes have re-read the clock file (it is read at most every 100 ms).
   */
  async setClock(at: Date): Promise<void> {
    this.clockOffsetMs = at.getTime() - Date.now();
    writeFileSync(this.clockFile, String(this.clockOffsetMs));
    await new Promise((r) => setTimeout(r, 250));
  }

  /** Moves the calendar forward by `ms`. */
  advanceClock(ms: number): Promise<void> {
    return this.setClock(new Date(this.now().getTime() + ms));
  }

  startWorker(): void {
    this.workers.push(this.spawn(WORKER_MAIN));
  }

  /** Kills the API outright and, when asked, starts a new one on the same port. */
  async killApi(): Promise<void> {
    if (this.api) await stopProc(this.api.child, 'SIGKILL');
  }

  async restartApi(): Promise<void> {
    this.api = this.spawn(API_MAIN);
    await this.waitHealthy([200]);
  }

  /** Kills a worker outright, as a crash or OOM would. */
  async killWorker(index: number): Promise<void> {
    await stopProc(this.workers[index].child, 'SIGKILL');
  }

  /** SIGTERM to a worker, as an orchestrator stopping it sends; resolves with its exit code. */
  terminateWorker(index: number): Promise<number | null> {
    return terminateProc(this.workers[index].child);
  }

  /** SIGTERM to the API; resolves with its exit code. */
  terminateApi(): Promise<number | null> {
    return this.api ? terminateProc(this.api.child) : Promise.resolve(null);
  }

  output(): string {
    return [this.api, ...this.workers].map((p, i) => `--- ${i === 0 ? 'api' : `worker ${i}`}\n${p?.output.join('') ?? ''}`).join('\n');
  }

  async stop(): Promise<void> {
    const procs = this.api ? [this.api, ...this.workers] : this.workers;
    await Promise.all(procs.map((p) => stopProc(p.child)));
  }

  private spawn(main: string): Proc {
    return spawnApp(main, this.env);
  }

  private async waitHealthy(statuses: number[]): Promise<void> {
    if (!this.api) throw new Error('the API was never started');
    await waitHealthy({ baseUrl: this.url, api: this.api, statuses, output: () => this.output() });
  }
}
