// Latency of the history endpoints through the real HTTP API: one request at a time (no queueing
// in the figures), each shape warmed up first, its parameters varied per sample so no single page
// stays hot while the rest of the data is cold.
import type pg from 'pg';
import type { Pvefleet } from './harness';

export interface Shape {
  name: string;
  /** Target p99 in ms. */
  targetMs: number;
  /** The path of sample i (below /api/v1). */
  path(i: number): string;
}

export interface ShapeResult {
  shape: Shape;
  samples: number;
  p50: number;
  p99: number;
  max: number;
  /** For lists: how many answers said their total was exact, and the largest total seen. */
  exact: number;
  lists: number;
  maxTotal: number;
  lastPath: string;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function timedGet(p: Pvefleet, path: string): Promise<{ ms: number; body: unknown }> {
  const t = performance.now();
  const res = await fetch(`${p.url}${path}`, { headers: { Authorization: `Bearer ${p.token}` } });
  const text = await res.text();
  const ms = performance.now() - t;
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${text.slice(0, 300)}`);
  return { ms, body: JSON.parse(text) };
}

export async function measureShape(p: Pvefleet, shape: Shape, warmup: number, samples: number): Promise<ShapeResult> {
  for (let i = 0; i < warmup; i++) await timedGet(p, shape.path(samples + i));
  const times: number[] = [];
  let exact = 0;
  let lists = 0;
  let maxTotal = 0;
  let lastPath = '';
  for (let i = 0; i < samples; i++) {
    lastPath = shape.path(i);
    const { ms, body } = await timedGet(p, lastPath);
    times.push(ms);
    const b = body as { total?: number; totalExact?: boolean; data?: unknown[] };
    if (typeof b.totalExact === 'boolean' && Array.isArray(b.data)) {
      lists++;
      if (b.totalExact) exact++;
      maxTotal = Math.max(maxTotal, b.total ?? 0);
    }
  }
  times.sort((a, b) => a - b);
  return {
    shape,
    samples,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    max: times[times.length - 1],
    exact,
    lists,
    maxTotal,
    lastPath,
  };
}

/** What the samples draw from: real nodes, users, types and UPIDs of the seeded history. */
export interface SampleSpace {
  nodes: string[];
  /** Nodes that have at least one error in the last week (so "one node's errors last week" finds some). */
  errorNodes: string[];
  users: string[];
  types: string[];
  upids: string[];
  longUpid: string;
  longLines: number;
}

export async function sampleSpace(pool: pg.Pool, longUpid: string): Promise<SampleSpace> {
  const q = async (sql: string, params: unknown[] = []) => (await pool.query<{ v: string }>(sql, params)).rows.map((r) => r.v);
  const long = await pool.query<{ lines: number }>(`SELECT log_lines AS lines FROM task WHERE upid = $1`, [longUpid]);
  return {
    nodes: await q(`SELECT name AS v FROM node ORDER BY id`),
    errorNodes: await q(`SELECT DISTINCT node AS v FROM task WHERE is_error AND start_time > now() - interval '7 days'`),
    users: await q(`SELECT DISTINCT "user" AS v FROM task`),
    types: await q(`SELECT DISTINCT type AS v FROM task`),
    upids: await sampleUpids(pool),
    longUpid,
    longLines: long.rows[0].lines,
  };
}

/**
 * About 2,000 UPIDs spread over the table. TABLESAMPLE reads whole pages, so a fixed 1% of a small
 * (smoke-size) table can come back empty: the percentage follows the table's size instead.
 */
async function sampleUpids(pool: pg.Pool): Promise<string[]> {
  const count = (await pool.query<{ n: string }>(`SELECT count(*) AS n FROM task`)).rows[0].n;
  const percent = Math.min(100, (4000 / Math.max(1, Number(count))) * 100);
  const rows = await pool.query<{ v: string }>(`SELECT upid AS v FROM task TABLESAMPLE SYSTEM ($1) LIMIT 2000`, [percent]);
  if (!rows.rows.length) throw new Error('no tasks to sample UPIDs from');
  return rows.rows.map((r) => r.v);
}

const DAY_S = 86_400;
const enc = encodeURIComponent;

/** The query shapes the issue names, with their targets. */
export function historyShapes(s: SampleSpace, pageLines: number): Shape[] {
  const nowS = () => Math.floor(Date.now() / 1000);
  const pick = <T>(xs: T[], i: number, salt = 0): T => xs[(i * 7919 + salt * 104729) % xs.length];
  const list = (name: string, q: (i: number) => string): Shape => ({ name, targetMs: 20, path: (i) => `/tasks?${q(i)}` });
  return [
    list('no filter', () => 'limit=50'),
    list('node', (i) => `node=${pick(s.nodes, i)}`),
    list('type', (i) => `type=${pick(s.types, i)}`),
    list('status', (i) => `status=${['stopped', 'running', 'queued'][i % 3]}`),
    list('user', (i) => `user=${enc(pick(s.users, i))}`),
    list('since (1-30 days)', (i) => `since=${nowS() - (1 + (i % 30)) * DAY_S}`),
    list('until (30-330 days ago)', (i) => `until=${nowS() - (30 + (i % 300)) * DAY_S}`),
    list('errors', () => 'errors=1'),
    list(
      "node+errors+since (a node's errors last week)",
      (i) => `node=${pick(s.errorNodes.length ? s.errorNodes : s.nodes, i)}&errors=1&since=${nowS() - 7 * DAY_S}`,
    ),
    list('type+status', (i) => `type=${pick(s.types, i)}&status=${['stopped', 'running', 'queued'][i % 3]}`),
    list('user+since (last week)', (i) => `user=${enc(pick(s.users, i, 1))}&since=${nowS() - 7 * DAY_S}`),
    list('deep page (start=10000)', () => 'start=10000&limit=50'),
    { name: 'status GET /tasks/{upid}', targetMs: 20, path: (i) => `/tasks/${enc(pick(s.upids, i))}` },
    {
      name: `log page (${pageLines.toLocaleString('en')} lines, mid-log)`,
      targetMs: 50,
      path: (i) =>
        `/tasks/${enc(s.longUpid)}/log?start=${Math.max(0, Math.floor(s.longLines / 2) - pageLines / 2 + ((i * 131) % 1000) - 500)}&limit=${pageLines}`,
    },
  ];
}
