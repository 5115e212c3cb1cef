import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { inject } from 'vitest';
import { API_NODE_ARGS } from '../../scripts/lib/node-flags.mjs';
import { freePort } from '../../scripts/lib/services.mjs';

const API_MAIN = 'dist/apps/api/apps/api/src/main.js';
const WORKER_MAIN = 'dist/apps/worker/apps/worker/src/main.js';

export interface StackOptions {
  workers?: number;
  concurrency?: number;
  env?: Record<string, string>;
  /** Wait for /health to answer 200 (default); off for tests of an unhealthy stack. */
  waitHealthy?: boolean;
}

interface Proc {
  child: ChildProcess;
  output: string[];
}

/**
 * The real thing for e2e tests: the built API and worker processes against the run's Postgres and
 * Redis, with a key prefix and admin token of their own so stacks never see each other's jobs.
 */
export class Stack {
  readonly token = `test-admin-${randomBytes(12).toString('hex')}`;
  readonly env: Record<string, string>;
  private api?: Proc;
  readonly workers: Proc[] = [];

  private constructor(
    readonly port: number,
    opts: StackOptions,
  ) {
    this.env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      DATABASE_URL: inject('databaseUrl'),
      REDIS_URL: inject('redisUrl'),
      PVEFLEET_REDIS_PREFIX: `pvefleet-test-${randomBytes(4).toString('hex')}`,
      PVEFLEET_ADMIN_TOKEN: this.token,
      PVEFLEET_MASTER_KEY: randomBytes(32).toString('base64'),
      PVEFLEET_WORKER_CONCURRENCY: String(opts.concurrency ?? 20),
      PVEFLEET_SSH_CONNECT_TIMEOUT_MS: '5000',
      PVEFLEET_DB_POOL_SIZE: '5',
      // Tests poll hard (hundreds of waits at once); the limits have a test of their own.
      PVEFLEET_RATE_LIMIT_PER_MIN: '0',
      PVEFLEET_AUTH_FAILURES_PER_MIN: '0',
      PORT: String(port),
      HOST: '127.0.0.1',
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

  startWorker(): void {
    this.workers.push(this.spawn(WORKER_MAIN));
  }

  /** Kills the API outright and, when asked, starts a new one on the same port. */
  async killApi(): Promise<void> {
    if (this.api) await kill(this.api.child, 'SIGKILL');
  }

  async restartApi(): Promise<void> {
    this.api = this.spawn(API_MAIN);
    await this.waitHealthy([200]);
  }

  /** Kills a worker outright, as a crash or OOM would. */
  async killWorker(index: number): Promise<void> {
    await kill(this.workers[index].child, 'SIGKILL');
  }

  /** SIGTERM to a worker, as an orchestrator stopping it sends; resolves with its exit code. */
  terminateWorker(index: number): Promise<number | null> {
    return terminate(this.workers[index].child);
  }

  /** SIGTERM to the API; resolves with its exit code. */
  terminateApi(): Promise<number | null> {
    return this.api ? terminate(this.api.child) : Promise.resolve(null);
  }

  output(): string {
    return [this.api, ...this.workers].map((p, i) => `--- ${i === 0 ? 'api' : `worker ${i}`}\n${p?.output.join('') ?? ''}`).join('\n');
  }

  async stop(): Promise<void> {
    await Promise.all([this.api, ...this.workers].map((p) => (p ? kill(p.child, 'SIGTERM') : undefined)));
  }

  private spawn(main: string): Proc {
    const args = main === API_MAIN ? [...API_NODE_ARGS, main] : [main];
    const child = spawn(process.execPath, args, { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    const keep = (b: Buffer) => {
      output.push(b.toString());
      if (output.length > 400) output.splice(0, 100);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    return { child, output };
  }

  private async waitHealthy(statuses: number[]): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (this.api?.child.exitCode !== null) throw new Error(`the API exited:\n${this.output()}`);
      const res = await request(this.url)
        .get('/api/v1/health')
        .catch(() => undefined);
      if (res && statuses.includes(res.status)) return;
      if (Date.now() > deadline) throw new Error(`the API is not healthy after 30 s:\n${this.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
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

function terminate(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}
