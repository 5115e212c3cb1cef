/**
 * History at scale: 1,000,000 tasks over 1,000 nodes and 20,000,000 log lines, seeded server-side,
 * then p50/p99 of `GET /tasks` with each filter and the combinations people use, of a task's status,
 * and of a 10,000-line log page, all through the HTTP API; and bytes on disk per log line.
 *
 * Warm cache: every shape is requested `warmup` times before its samples, and the whole data set
 * fits in this machine's memory (Postgres's shared buffers plus the OS page cache). One request at
 * a time, so the figures are latencies, not queueing.
 *
 *   npm run bench:history [-- --tasks 1000000 --lines 20000000 --samples 300]
 *   npm run bench:history -- --smoke      (5,000 tasks, 100,000 lines, a few samples)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Pvefleet, SMOKE, arg, cpuSeconds, machineBusySeconds, printTable, requireBuild, runBench, startServices } from './lib/harness';
import { historyShapes, measureShape, sampleSpace, type ShapeResult } from './lib/history-measure';
import { seedHistory } from './lib/history-seed';
import { logStorage } from './lib/history-storage';

const TASKS = arg('tasks', SMOKE ? 5_000 : 1_000_000);
const LINES = arg('lines', SMOKE ? 100_000 : 20_000_000);
const NODES = arg('nodes', SMOKE ? 100 : 1_000);
const SAMPLES = arg('samples', SMOKE ? 5 : 300);
// Smoke samples are few, so more warm-up: the API's first requests still pay for JIT compilation.
const WARMUP = arg('warmup', SMOKE ? 10 : 30);
const LONG_TASKS = SMOKE ? 1 : 20;
const LONG_LINES = SMOKE ? 20_000 : 30_000;
const PAGE_LINES = 10_000;

const n = (x: number) => Math.round(x).toLocaleString('en');
const ms = (x: number) => Number(x.toFixed(1));
const mib = (b: number) => `${(b / 1048576).toFixed(1)} MiB`;

/** CPU seconds of the Postgres listening on `port` and all its processes (backends, I/O workers, checkpointer). */
function postgresCpuSeconds(port: string): number {
  const procs = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  const read = (pid: string, f: string) => {
    try {
      return readFileSync(`/proc/${pid}/${f}`, 'utf8');
    } catch {
      return '';
    }
  };
  const master = procs.find((pid) => read(pid, 'cmdline').split('\0').join(' ').includes(` -p ${port} `));
  if (!master) return 0;
  const parent = (pid: string) =>
    read(pid, 'stat')
      .slice(read(pid, 'stat').lastIndexOf(')') + 2)
      .split(' ')[1];
  return procs.filter((pid) => pid === master || parent(pid) === master).reduce((sum, pid) => sum + cpuSeconds(Number(pid)), 0);
}

async function main(): Promise<void> {
  requireBuild();
  const services = await startServices('pvefleet_bench_history');
  let p: Pvefleet | undefined;
  try {
    const server = await services.pool.query<{ v: string; sb: string }>(
      `SELECT current_setting('server_version') AS v, current_setting('shared_buffers') AS sb`,
    );
    const t0 = performance.now();
    const seed = await seedHistory(services.pool, {
      nodes: NODES,
      tasks: TASKS,
      lines: LINES,
      longTasks: LONG_TASKS,
      longLines: LONG_LINES,
    });
    const seedMs = performance.now() - t0;
    printTable(`Seeding (server-side INSERT … SELECT, 2 connections; Postgres ${server.rows[0].v}, shared_buffers ${server.rows[0].sb})`, [
      { step: 'nodes', rows: n(NODES), seconds: seed.nodesMs / 1000, 'rows/s': n(NODES / (seed.nodesMs / 1000)) },
      { step: 'tasks', rows: n(TASKS), seconds: seed.tasksMs / 1000, 'rows/s': n(TASKS / (seed.tasksMs / 1000)) },
      {
        step: `log lines in ${n(seed.writerChunks)} chunks, as the writer flushes them`,
        rows: n(seed.lines),
        seconds: seed.logsMs / 1000,
        'rows/s': n(seed.lines / (seed.logsMs / 1000)),
      },
      {
        step: `stop-time compaction into ${n(seed.chunks)} chunks`,
        rows: n(TASKS),
        seconds: seed.compactMs / 1000,
        'rows/s': n(TASKS / (seed.compactMs / 1000)),
      },
      { step: 'VACUUM (FULL for the log table) ANALYZE', rows: '', seconds: seed.vacuumMs / 1000, 'rows/s': '' },
      { step: 'total', rows: '', seconds: seedMs / 1000, 'rows/s': '' },
    ]);
    if (seed.lines !== LINES) throw new Error(`seeded ${seed.lines} log lines, wanted ${LINES}`);

    p = await Pvefleet.start(services, { workers: 0 });
    const space = await sampleSpace(services.pool, seed.longUpids[Math.floor(seed.longUpids.length / 2)]);
    // Other processes on this 2-core machine distort latencies: count what they used meanwhile.
    const pgPort = new URL(services.databaseUrl).port;
    const ours = () => cpuSeconds(process.pid) + cpuSeconds(p!.api.child.pid) + postgresCpuSeconds(pgPort);
    const [busy0, ours0, t1] = [machineBusySeconds(), ours(), performance.now()];
    const results: ShapeResult[] = [];
    for (const shape of historyShapes(space, PAGE_LINES)) {
      const heavy = shape.targetMs > 20;
      results.push(await measureShape(p, shape, heavy ? Math.ceil(WARMUP / 3) : WARMUP, heavy ? Math.ceil(SAMPLES / 3) : SAMPLES));
    }
    const floor = await measureShape(p, { name: 'GET /health', targetMs: 0, path: () => '/health' }, WARMUP, SAMPLES);
    printTable(
      `HTTP latency, warm cache, one request at a time (${n(TASKS)} tasks, ${n(LINES)} log lines)`,
      results.map((r) => ({
        query: r.shape.name,
        samples: r.samples,
        'p50 ms': ms(r.p50),
        'p99 ms': ms(r.p99),
        'max ms': ms(r.max),
        target: `p99 < ${r.shape.targetMs}`,
        met: r.p99 < r.shape.targetMs ? 'yes' : 'NO',
        'total exact': r.lists ? (r.exact === r.lists ? 'always' : r.exact ? `${r.exact}/${r.lists}` : 'never (> cap)') : '',
        'largest total': r.lists ? n(r.maxTotal) : '',
      })),
    );

    const wall = (performance.now() - t1) / 1000;
    const others = Math.max(0, machineBusySeconds() - busy0 - (ours() - ours0)) / wall;
    console.log(`(for scale: GET /health, one Postgres and one Redis ping, p50 ${ms(floor.p50)} ms, p99 ${ms(floor.p99)} ms)`);
    console.log(
      `(other processes used ${others.toFixed(2)} of the 2 cores while these were measured${others > 0.2 ? ': the figures are distorted' : ''})`,
    );

    const st = await logStorage(services.pool);
    const ratio = st.totalBytes / st.rawBytes;
    const per = (b: number) => Number((b / st.lines).toFixed(1));
    printTable(
      `Log storage (task_log_chunk, text compression ${st.compression}; ${n(st.chunks)} chunks, ${(st.lines / st.chunks).toFixed(1)} lines each on average)`,
      [
        { part: 'raw text (lines + newlines)', size: mib(st.rawBytes), 'bytes/line': per(st.rawBytes) },
        { part: 'heap', size: mib(st.heapBytes), 'bytes/line': per(st.heapBytes) },
        { part: 'TOAST (+ its index)', size: mib(st.toastBytes), 'bytes/line': per(st.toastBytes) },
        { part: 'indexes', size: mib(st.indexBytes), 'bytes/line': per(st.indexBytes) },
        { part: 'total on disk', size: mib(st.totalBytes), 'bytes/line': per(st.totalBytes) },
        { part: 'on disk / raw', size: `${ratio.toFixed(2)}×`, 'bytes/line': 'target ≤ 1.5×' },
        {
          part: `before the stop-time merge (${(seed.lines / seed.writerChunks).toFixed(1)} lines/chunk)`,
          size: mib(seed.writerBytes),
          'bytes/line': per(seed.writerBytes),
        },
        { part: 'before the merge / raw', size: `${(seed.writerBytes / st.rawBytes).toFixed(2)}×`, 'bytes/line': '' },
      ],
    );

    const lists = results.filter((r) => r.shape.targetMs === 20);
    const worst = lists.reduce((a, b) => (b.p99 > a.p99 ? b : a));
    const page = results.find((r) => r.shape.targetMs === 50)!;
    const missed = [...results.filter((r) => r.p99 >= r.shape.targetMs).map((r) => r.shape.name), ...(ratio > 1.5 ? ['log storage'] : [])];
    console.log(
      `\nhistory: worst list/status p99 ${ms(worst.p99)} ms (${worst.shape.name}; target < 20), ${n(PAGE_LINES)}-line log page p99 ${ms(page.p99)} ms (< 50), ` +
        `logs ${ratio.toFixed(2)}× their raw text on disk (≤ 1.5): ${missed.length ? `MISSED: ${missed.join(', ')}` : 'all targets met'}` +
        (SMOKE ? ' (smoke size and samples: the targets are for the full run)' : ''),
    );
  } finally {
    await p?.stop();
    await services.stop();
  }
}

runBench(main);
