// Fault drills, repeated: a worker killed (-9) mid-work, Redis flushed and Redis restarted with tasks
// waiting, Postgres stopped for 5, 35 and 90 s under a long mutating task with a second one queued for
// the same node. Per drill it prints tasks lost, tasks run twice, overlapping mutating commands on a
// node (from the simulated nodes' own records), log lines lost or doubled, and the recovery time: from
// the fault's end to the first task completing again (for the worker kill: until every task the dead
// worker held is settled, a read-only one's second run included). Targets: 0, 0, 0, 0 and under 10 s.
//   npm run bench:drills [-- --runs 5] [-- --smoke]
import { submittedTaskSchema } from '@pvefleet/contracts';
import { Redis } from 'ioredis';
import { rmSync } from 'node:fs';
import pg from 'pg';
import { deployMigrations } from '../scripts/migrate.mjs';
import { createDatabase, freePort, makeTempDir, startPostgres, startRedis, type RunningService } from '../scripts/lib/services.mjs';
import {
  Pvefleet,
  SMOKE,
  WORKER_MAIN,
  arg,
  printTable,
  registerNodes,
  requireBuild,
  runBench,
  sleep,
  spawnNode,
  startSimulatorProcess,
  type Services,
  type SimProcess,
} from './lib/harness';

const RUNS = arg('runs', SMOKE ? 1 : 5);
const NODES = SMOKE ? 3 : 10;
const WAITING_PER_NODE = SMOKE ? 5 : 20;
const OUTAGES_S = SMOKE ? [3] : [5, 35, 90];
const NODE_LOCK = '/run/lock/pvefleet-mutating.lock';

interface Tally {
  tasks: number;
  lost: number;
  twice: number;
  overlaps: number;
  linesLost: number;
  linesDoubled: number;
  recoveryS: number[];
  note?: string;
}

/** A Postgres and a Redis that the drills stop and start again on the same ports. */
class Backends {
  private constructor(
    private pg: RunningService,
    private redis: RunningService,
    private readonly pgDir: string,
    private readonly pgPort: number,
    private readonly redisPort: number,
    readonly services: Services,
  ) {}

  static async start(): Promise<Backends> {
    const pgDir = makeTempDir('pvefleet-drills-pg-');
    const [pgPort, redisPort] = [await freePort(), await freePort()];
    const pgServer = await startPostgres({ dir: pgDir, port: pgPort, persistent: true });
    const redis = await startRedis({ port: redisPort });
    const databaseUrl = await createDatabase(pgServer.url, 'pvefleet_drills');
    await deployMigrations(databaseUrl);
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    pool.on('error', () => undefined); // Postgres is stopped on purpose
    const services: Services = {
      databaseUrl,
      redisUrl: redis.url,
      masterKey: Buffer.alloc(32, 7).toString('base64'),
      pool,
      stop: () => Promise.resolve(),
    };
    return new Backends(pgServer, redis, pgDir, pgPort, redisPort, services);
  }

  async stopPostgres(): Promise<void> {
    await this.pg.stop();
  }

  async startPostgres(): Promise<void> {
    this.pg = await startPostgres({ dir: this.pgDir, port: this.pgPort, persistent: true });
  }

  /** Redis keeps nothing on disk: it comes back empty, as one restarted without persistence does. */
  async restartRedis(): Promise<void> {
    await this.redis.stop();
    this.redis = await startRedis({ port: this.redisPort });
  }

  async stop(): Promise<void> {
    await this.services.pool.end().catch(() => undefined);
    await this.redis.stop();
    await this.pg.stop();
    rmSync(this.pgDir, { recursive: true, force: true });
  }
}

// ---- what the nodes and Postgres say ------------------------------------------------------------

interface NodeHistory {
  execs: { command: string }[];
  locks: { path: string; since: number; until: number | null }[];
}

async function history(sim: SimProcess, node: string): Promise<NodeHistory> {
  return (await (await fetch(`${sim.controlUrl}/nodes/${node}/history`)).json()) as NodeHistory;
}

async function simControl(sim: SimProcess, path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${sim.controlUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  if (!res.ok) throw new Error(`simulator ${path}: ${res.status} ${await res.text()}`);
}

/** Holds of the node lock that began before the previous one ended: two mutating commands at once. */
async function overlaps(sim: SimProcess): Promise<number> {
  let n = 0;
  for (const node of sim.nodes) {
    const holds = (await history(sim, node.name)).locks.filter((h) => h.path === NODE_LOCK).sort((a, b) => a.since - b.since);
    for (let i = 1; i < holds.length; i++) if (holds[i - 1].until === null || holds[i].since < holds[i - 1].until!) n++;
  }
  return n;
}

/** How often each word's command ran on the nodes, for words that must run exactly once. */
async function runsOf(sim: SimProcess, words: string[]): Promise<{ never: number; twice: number }> {
  const seen = new Map<string, number>();
  for (const node of sim.nodes) {
    for (const e of (await history(sim, node.name)).execs) {
      const w = /\b(drill-[\w-]+)/.exec(e.command)?.[1];
      if (w) seen.set(w, (seen.get(w) ?? 0) + 1);
    }
  }
  return { never: words.filter((w) => !seen.has(w)).length, twice: words.filter((w) => (seen.get(w) ?? 0) > 1).length };
}

/** Lines each task says it wrote against the lines stored for it. */
async function logBalance(pool: pg.Pool, upids: string[]): Promise<{ lost: number; doubled: number }> {
  const { rows } = await pool.query<{ lost: string; doubled: string }>(
    `SELECT COALESCE(sum(GREATEST(t.log_lines - s.stored, 0)), 0) AS lost, COALESCE(sum(GREATEST(s.stored - t.log_lines, 0)), 0) AS doubled
       FROM task t CROSS JOIN LATERAL (SELECT COALESCE(sum(line_count), 0) AS stored FROM task_log_chunk c WHERE c.task_id = t.id) s
      WHERE t.upid = ANY($1)`,
    [upids],
  );
  return { lost: Number(rows[0].lost), doubled: Number(rows[0].doubled) };
}

/** Waits for every task to stop; returns the ones that never did (lost) and the first end after `since`. */
async function settle(pool: pg.Pool, upids: string[], since: Date, timeoutMs = 300_000): Promise<{ lost: number; firstEndS: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await pool
      .query<{ open: string; first: Date | null }>(
        `SELECT count(*) FILTER (WHERE status <> 'stopped') AS open, min(end_time) FILTER (WHERE end_time > $2) AS first FROM task WHERE upid = ANY($1)`,
        [upids, since],
      )
      .catch(() => undefined);
    if (r && (Number(r.rows[0].open) === 0 || Date.now() > deadline)) {
      const first = r.rows[0].first;
      return { lost: Number(r.rows[0].open), firstEndS: first ? (first.getTime() - since.getTime()) / 1000 : NaN };
    }
    await sleep(100);
  }
}

async function submit(p: Pvefleet, node: string, argv: string[], readOnly = false): Promise<string> {
  const res = await p.request('POST', `/nodes/${node}/tasks`, { type: 'exec', params: { argv, readOnly } });
  if (res.status !== 202) throw new Error(`submit on ${node}: ${res.status} ${JSON.stringify(res.body)}`);
  return submittedTaskSchema.parse(res.body).upid;
}

async function waitRunning(pool: pg.Pool, upids: string[]): Promise<void> {
  for (;;) {
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM task WHERE upid = ANY($1) AND status = 'running'`, [upids]);
    if (Number(rows[0].n) === upids.length) return;
    await sleep(50);
  }
}

// ---- the drills ---------------------------------------------------------------------------------

/** Drill 1: a worker killed with long tasks running (half read-only, half mutating) and many waiting. */
async function workerKill(p: Pvefleet, sim: SimProcess, pool: pg.Pool, run: number, t: Tally): Promise<void> {
  const long: string[] = [];
  const waiting: string[] = [];
  const words: string[] = [];
  for (const n of sim.nodes) {
    long.push(await submit(p, n.name, ['sh', '-c', `sleep 2; echo drill-${run}-w-${n.name}`]));
    long.push(await submit(p, n.name, ['sh', '-c', `sleep 3; echo reader-${run}`], true));
  }
  for (let i = 0; i < WAITING_PER_NODE; i++) {
    for (const n of sim.nodes) {
      const word = `drill-${run}-q-${n.name}-${i}`;
      words.push(word);
      waiting.push(await submit(p, n.name, ['echo', word]));
    }
  }
  await waitRunning(pool, long);
  const victim = p.workers.shift()!;
  const killedAt = new Date();
  victim.child.kill('SIGKILL');
  p.workers.push(spawnNode(WORKER_MAIN, p.env));
  const settled = await settle(pool, [...long, ...waiting], killedAt);
  // The dead worker's tasks: settled when none of them is still `running` under its id.
  const { rows } = await pool.query<{ last: Date | null }>(
    `SELECT max(end_time) AS last FROM task WHERE upid = ANY($1) AND (exitstatus LIKE 'interrupted:%' OR attempt > 1)`,
    [long],
  );
  const runs = await runsOf(sim, words);
  const logs = await logBalance(pool, [...long, ...waiting]);
  t.tasks += long.length + waiting.length;
  t.lost += settled.lost + runs.never;
  t.twice += runs.twice;
  t.linesLost += logs.lost;
  t.linesDoubled += logs.doubled;
  t.recoveryS.push(rows[0].last ? (rows[0].last.getTime() - killedAt.getTime()) / 1000 : settled.firstEndS);
}

/** Drill 3: the queue lost under waiting tasks, by FLUSHALL or by a Redis restarted without its data. */
async function redisLoss(
  p: Pvefleet,
  sim: SimProcess,
  backends: Backends,
  run: number,
  how: 'flushall' | 'restart',
  t: Tally,
): Promise<void> {
  const pool = backends.services.pool;
  const blockers: string[] = [];
  for (const n of sim.nodes) {
    await simControl(sim, `/nodes/${n.name}/faults`, { match: { regex: `^sleep 600$` }, action: { kind: 'hang' }, times: 1 });
    blockers.push(await submit(p, n.name, ['sleep', '600']));
  }
  await waitRunning(pool, blockers);
  const waiting: string[] = [];
  const words: string[] = [];
  for (let i = 0; i < WAITING_PER_NODE; i++) {
    for (const n of sim.nodes) {
      const word = `drill-${run}-${how}-${n.name}-${i}`;
      words.push(word);
      waiting.push(await submit(p, n.name, ['echo', word]));
    }
  }
  if (how === 'flushall') {
    const redis = new Redis(backends.services.redisUrl);
    await redis.flushall();
    redis.disconnect();
  } else {
    await backends.restartRedis();
  }
  const back = new Date();
  for (const u of blockers) await p.request('DELETE', `/tasks/${encodeURIComponent(u)}`);
  const settled = await settle(pool, waiting, back);
  const runs = await runsOf(sim, words);
  t.tasks += waiting.length;
  t.lost += settled.lost + runs.never;
  t.twice += runs.twice;
  const logs = await logBalance(pool, waiting);
  t.linesLost += logs.lost;
  t.linesDoubled += logs.doubled;
  t.recoveryS.push(settled.firstEndS);
}

/** Drill 4: Postgres stopped for `seconds` under a long mutating task, a second one queued for its node. */
async function postgresOutage(p: Pvefleet, sim: SimProcess, backends: Backends, run: number, seconds: number, t: Tally): Promise<void> {
  const pool = backends.services.pool;
  const node = sim.nodes[run % sim.nodes.length].name;
  const lines = (seconds + 8) * 800;
  await simControl(sim, `/nodes/${node}/faults`, {
    match: { regex: `^seq 1 ${lines}$` },
    action: { kind: 'slow', lineDelayMs: 1 },
    times: 1,
  });
  const first = await submit(p, node, ['seq', '1', String(lines)]);
  const second = await submit(p, node, ['echo', `drill-${run}-pg-${seconds}`]);
  await waitRunning(pool, [first]);
  await sleep(1_000);
  await backends.stopPostgres();
  const during = await p.request('GET', '/tasks?limit=1').catch(() => ({ status: 0 }));
  await sleep(seconds * 1000);
  await backends.startPostgres();
  const back = new Date();
  const settled = await settle(pool, [first, second], back);
  const { rows } = await pool.query<{ exitstatus: string }>(`SELECT exitstatus FROM task WHERE upid = ANY($1) ORDER BY id`, [
    [first, second],
  ]);
  const logs = await logBalance(pool, [first, second]);
  const runs = await runsOf(sim, [`drill-${run}-pg-${seconds}`]);
  t.tasks += 2;
  t.lost += settled.lost + runs.never;
  t.twice += runs.twice;
  t.linesLost += logs.lost + rows.filter((r) => r.exitstatus.startsWith('log incomplete')).length;
  t.linesDoubled += logs.doubled;
  t.recoveryS.push(settled.firstEndS);
  t.note = `API answered ${during.status} during the outage; ${lines} lines`;
}

runBench(async () => {
  requireBuild();
  const backends = await Backends.start();
  const sim = await startSimulatorProcess(['--standalone', String(NODES)]);
  const p = await Pvefleet.start(backends.services, { workers: 2 });
  const tallies = new Map<string, Tally>();
  const tally = (name: string) =>
    tallies.get(name) ??
    tallies.set(name, { tasks: 0, lost: 0, twice: 0, overlaps: 0, linesLost: 0, linesDoubled: 0, recoveryS: [] }).get(name)!;
  try {
    await registerNodes(p, sim);
    // Workers judge another dead only after seeing their own beats land for a while.
    await sleep(7_000);
    for (let run = 0; run < RUNS; run++) {
      await workerKill(p, sim, backends.services.pool, run, tally('1 worker kill -9'));
      await redisLoss(p, sim, backends, run, 'flushall', tally('3 Redis FLUSHALL'));
      await redisLoss(p, sim, backends, run, 'restart', tally('3 Redis restart'));
      for (const s of OUTAGES_S) await postgresOutage(p, sim, backends, run, s, tally(`4 Postgres down ${s} s`));
    }
    const overlapping = await overlaps(sim);
    const rows = [...tallies].map(([drill, t]) => ({
      drill,
      runs: RUNS,
      tasks: t.tasks,
      lost: t.lost,
      'run twice': t.twice,
      'lines lost': t.linesLost,
      'lines doubled': t.linesDoubled,
      'recovery s (max)': Math.max(...t.recoveryS),
      note: t.note ?? '',
    }));
    printTable(`fault drills (${NODES} simulated nodes, 2 workers; overlapping mutating commands are counted over all drills)`, rows);
    const worst = Math.max(...rows.map((r) => r['recovery s (max)']));
    const bad = rows.reduce((s, r) => s + r.lost + r['run twice'] + r['lines lost'] + r['lines doubled'], 0);
    console.log(
      `\ndrills: ${bad} tasks or lines lost/doubled, ${overlapping} overlapping mutating commands, slowest recovery ${worst.toFixed(1)} s (targets 0, 0, < 10 s)`,
    );
  } finally {
    await p.stop();
    await sim.stop();
    await backends.stop();
  }
});
