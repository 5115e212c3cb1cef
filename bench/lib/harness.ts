// Shared pieces of the benchmarks: private Postgres and Redis, pvefleet's API and workers as real
// processes (built apps), the simulator as a process of its own, and /proc readings. Benchmarks
// print figures; they assert nothing about time.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import ssh2 from 'ssh2';
import { z } from 'zod';
import { submittedTaskSchema } from '@pvefleet/contracts';
import { deployMigrations } from '../../scripts/migrate.mjs';
import { createDatabase, freePort, startPostgres, startRedis, type RunningService } from '../../scripts/lib/services.mjs';
import { API_MAIN, SIM_MAIN, WORKER_MAIN, pvefleetEnv, spawnApp, stopProc, waitHealthy, type Proc } from '../../test/support/processes';

// The processes are started the way the e2e tests start them (one harness: test/support/processes.ts).
export { API_MAIN, SIM_MAIN, WORKER_MAIN, stopProc, type Proc };

export function requireBuild(): void {
  for (const f of [API_MAIN, WORKER_MAIN, SIM_MAIN]) {
    if (!existsSync(f)) throw new Error(`${f} is missing: run \`npm run build\` first`);
  }
}

// ---- services -----------------------------------------------------------------------------------

export interface Services {
  databaseUrl: string;
  redisUrl: string;
  /** One key per database: node credentials sealed by one pvefleet start open in the next. */
  masterKey: string;
  pool: pg.Pool;
  stop(): Promise<void>;
}

/** A private Postgres database and Redis (or the servers named by DATABASE_URL / REDIS_URL). */
export async function startServices(name = 'pvefleet_bench'): Promise<Services> {
  const owned: RunningService[] = [];
  let server = process.env.DATABASE_URL;
  if (!server) {
    const p = await startPostgres();
    owned.push(p);
    server = p.url;
  }
  const databaseUrl = await createDatabase(server, `${name}_${process.pid}`);
  await deployMigrations(databaseUrl);
  let redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    const r = await startRedis();
    owned.push(r);
    redisUrl = r.url;
  }
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  return {
    databaseUrl,
    redisUrl,
    masterKey: randomBytes(32).toString('base64'),
    pool,
    stop: async () => {
      await pool.end().catch((err: unknown) => {
        console.error('closing the bench pool:', err);
      });
      for (const s of owned.reverse()) await s.stop();
    },
  };
}

// ---- pvefleet processes -------------------------------------------------------------------------

/** Extra Node flags for the API and workers, e.g. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

export function spawnNode(main: string, env: Record<string, string>): Proc {
  return spawnApp(main, env, { nodeArgs: NODE_ARGS, keepChunks: 200 });
}

export class Pvefleet {
  readonly token = `bench-${randomBytes(12).toString('hex')}`;
  api!: Proc;
  readonly workers: Proc[] = [];
  readonly env: Record<string, string>;

  private constructor(
    readonly services: Services,
    readonly port: number,
    env: Record<string, string>,
  ) {
    this.env = {
      ...pvefleetEnv({
        databaseUrl: services.databaseUrl,
        redisUrl: services.redisUrl,
        redisPrefix: `pvefleet-bench-${randomBytes(3).toString('hex')}`,
        adminToken: this.token,
        masterKey: services.masterKey,
        port,
      }),
      // Benches measure pvefleet at full speed, not its rate limits.
      PVEFLEET_RATE_LIMIT_PER_MIN: '0',
      ...env,
    };
  }

  static async start(services: Services, opts: { workers?: number; env?: Record<string, string> } = {}): Promise<Pvefleet> {
    const p = new Pvefleet(services, await freePort(), opts.env ?? {});
    p.api = spawnNode(API_MAIN, p.env);
    for (let i = 0; i < (opts.workers ?? 1); i++) p.workers.push(spawnNode(WORKER_MAIN, p.env));
    await p.waitHealthy();
    return p;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/api/v1`;
  }

  /** The answer's body is whatever the API sent: callers parse it with the endpoint's contract once the status says which. */
  async request(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
  }

  async stop(): Promise<void> {
    await Promise.all([this.api, ...this.workers].map((p) => stopProc(p.child)));
  }

  private waitHealthy(): Promise<void> {
    return waitHealthy({ baseUrl: `http://127.0.0.1:${this.port}`, api: this.api, timeoutMs: 60_000 });
  }
}

// ---- the simulator ------------------------------------------------------------------------------

export interface SimNode {
  name: string;
  cluster: string | null;
  host: string;
  port: number;
  hostKeyFingerprint: string;
}

/** The one JSON line the simulator prints on stdout when it is ready (apps/simulator/src/main.ts). */
const simInventorySchema = z.object({
  controlUrl: z.string().nullable(),
  user: z.string(),
  nodes: z.array(
    z.object({ name: z.string(), cluster: z.string().nullable(), host: z.string(), port: z.number(), hostKeyFingerprint: z.string() }),
  ),
});
type SimInventory = z.infer<typeof simInventorySchema>;

export interface SimProcess {
  child: ChildProcess;
  nodes: SimNode[];
  controlUrl: string | null;
  user: string;
  /** The throwaway client key that logs in to every simulated node (and its file, for OpenSSH peers). */
  privateKey: string;
  keyFile: string;
  stop(): Promise<void>;
}

export function clientKey(): { privateKey: string; publicKey: string } {
  for (;;) {
    const k = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'pvefleet-bench' });
    if (!(ssh2.utils.parseKey(k.private) instanceof Error)) return { privateKey: k.private, publicKey: k.public };
  }
}

/** The simulator CLI in a process of its own, logged into with a throwaway key. */
export async function startSimulatorProcess(args: string[]): Promise<SimProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'pvefleet-bench-'));
  const key = clientKey();
  const keyFile = join(dir, 'id_ed25519');
  writeFileSync(keyFile, key.privateKey, { mode: 0o600 });
  writeFileSync(`${keyFile}.pub`, `${key.publicKey}\n`);
  const simArgs = (process.env.BENCH_SIM_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(
    process.execPath,
    [...simArgs, SIM_MAIN, '--base-port', '0', '--control-port', '0', '--no-password', '--authorized-keys', `${keyFile}.pub`, ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
  const ready = await new Promise<SimInventory>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => {
      resolve(simInventorySchema.parse(JSON.parse(line)));
    });
    child.once('exit', () => {
      reject(new Error(`the simulator exited: ${stderr}`));
    });
  });
  return { child, ...ready, privateKey: key.privateKey, keyFile, stop: () => stopProc(child) };
}

/** Registers simulated nodes with pvefleet, host keys pinned from the simulator's inventory. */
export async function registerNodes(p: Pvefleet, sim: SimProcess, parallel = 16): Promise<void> {
  const queue = [...sim.nodes];
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let n = queue.shift(); n; n = queue.shift()) {
        const res = await p.request('POST', '/nodes', {
          name: n.name,
          host: n.host,
          port: n.port,
          sshUser: sim.user,
          credential: { type: 'key', privateKey: sim.privateKey },
          hostKeyFingerprint: n.hostKeyFingerprint,
          ...(n.cluster ? { labels: { cluster: n.cluster } } : {}),
        });
        if (res.status !== 201 && res.status !== 409) throw new Error(`registering ${n.name}: ${JSON.stringify(res.body)}`);
      }
    }),
  );
}

const submittedFleetTaskSchema = z.object({ tasks: z.array(submittedTaskSchema) });

/** Submits one fleet task; returns the UPIDs. */
export async function fleetTask(p: Pvefleet, body: Record<string, unknown>): Promise<string[]> {
  const res = await p.request('POST', '/tasks', body);
  if (res.status !== 202) throw new Error(`fleet task: ${res.status} ${JSON.stringify(res.body)}`);
  return submittedFleetTaskSchema.parse(res.body).tasks.map((t) => t.upid);
}

/** Waits (polling Postgres) until every task is stopped; returns how many ended OK. */
export async function waitStopped(
  pool: pg.Pool,
  upids: string[],
  timeoutMs = 600_000,
  pollMs = 20,
): Promise<{ ok: number; errors: string[] }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Polls a cheap count (bench databases hold only the bench's tasks), then checks these tasks once.
    const open = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM task WHERE status IN ('queued', 'running')`);
    if (Number(open.rows[0].n) > 0) {
      if (Date.now() > deadline) throw new Error(`${open.rows[0].n} tasks still open after ${timeoutMs} ms`);
      await sleep(pollMs);
      continue;
    }
    const { rows } = await pool.query<{ stopped: string; ok: string }>(
      `SELECT count(*) FILTER (WHERE status = 'stopped') AS stopped, count(*) FILTER (WHERE exitstatus = 'OK') AS ok FROM task WHERE upid = ANY($1)`,
      [upids],
    );
    if (Number(rows[0].stopped) === upids.length) {
      const errs = await pool.query<{ exitstatus: string }>(
        `SELECT DISTINCT exitstatus FROM task WHERE upid = ANY($1) AND exitstatus <> 'OK' LIMIT 5`,
        [upids],
      );
      return { ok: Number(rows[0].ok), errors: errs.rows.map((r) => r.exitstatus) };
    }
    if (Date.now() > deadline) throw new Error(`only ${rows[0].stopped}/${upids.length} tasks stopped after ${timeoutMs} ms`);
    await sleep(pollMs);
  }
}

// ---- measurements -------------------------------------------------------------------------------

const CLK_TCK = 100;

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return 0;
  }
}

/** Resident memory now and at its peak (MiB). */
export function memoryMb(pid: number | undefined): { rss: number; peak: number } {
  if (!pid) return { rss: 0, peak: 0 };
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return { rss: 0, peak: 0 };
  }
}

/** Samples a process's RSS every `ms` until stopped; returns the highest seen (MiB). */
export function rssSampler(pid: number | undefined, ms = 100): { stop(): number } {
  let max = memoryMb(pid).rss;
  const t = setInterval(() => (max = Math.max(max, memoryMb(pid).rss)), ms);
  return {
    stop: () => {
      clearInterval(t);
      return Math.max(max, memoryMb(pid).rss);
    },
  };
}

/** Machine-wide CPU time (all cores, seconds) spent busy so far: to tell "slow" from "the machine is full". */
export function machineBusySeconds(): number {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  return (user + nice + system + irq + softirq + steal) / CLK_TCK;
}

/** CPU seconds used so far by every process whose command line matches (e.g. all Postgres backends). */
export function cpuSecondsMatching(pattern: RegExp): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (pattern.test(cmd)) total += cpuSeconds(Number(pid));
    } catch {
      /* exited */
    }
  }
  return total;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---- reporting ----------------------------------------------------------------------------------

/** Prints a plain table. */
export function printTable(title: string, rows: Record<string, string | number>[]): void {
  if (!rows.length) return;
  const cols = Object.keys(rows[0]);
  const cell = (v: string | number) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : v);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c] ?? '').length)));
  console.log(`\n${title}`);
  console.log(cols.map((c, i) => c.padEnd(width[i])).join('  '));
  console.log(width.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(cols.map((c, i) => cell(r[c] ?? '').padStart(width[i])).join('  '));
}

/** `--smoke` makes every benchmark tiny (npm test runs them so they never rot). */
export const SMOKE = process.argv.includes('--smoke');

export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Runs a benchmark's main, exits non-zero (with the reason) if it could not measure. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(`\ncould not measure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      process.exit(1);
    },
  );
}
