/**
 * Simulator benchmark: 1,000 nodes in one process. Reports start time, RSS
 * at 1,000 nodes, and exec round trips per second with a kept-connection
 * client and with a new connection per exec (the client runs in worker
 * threads). Exits non-zero if any figure could not be measured.
 *
 *   npm run bench:simulator [-- --nodes 1000 --seconds 5]
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { startSimulator, Simulator } from '@pvefleet/simulator';
import { LOAD_CLIENT_SOURCE } from './lib/simulator-load-client';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
// --smoke (npm run bench:smoke): a small fleet for a second per case, to keep the bench alive.
const SMOKE = process.argv.includes('--smoke');
const NODES = arg('nodes', SMOKE ? 50 : 1000);
const SECONDS = arg('seconds', SMOKE ? 1 : 5);
const CLUSTER_SIZE = 50;
const mib = (b: number): string => `${(b / 1048576).toFixed(1)} MiB`;

interface LoadResult {
  done: number;
  errors: number;
  elapsed: number;
  error?: string;
}

function runClient(sim: Simulator, mode: 'kept' | 'new', targets: number, concurrency: number, workers: number): Promise<LoadResult> {
  const ssh2Path = createRequire(`${process.cwd()}/package.json`).resolve('ssh2');
  const nodes = sim.nodes();
  const chunk = Math.ceil(targets / workers);
  return Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const slice = nodes
        .slice(w * chunk, (w + 1) * chunk)
        .slice(0, targets)
        .map(({ host, port }) => ({ host, port }));
      return new Promise<LoadResult>((resolve, reject) => {
        const worker = new Worker(LOAD_CLIENT_SOURCE, {
          eval: true,
          workerData: {
            ssh2Path,
            targets: slice,
            mode,
            concurrency: Math.ceil(concurrency / workers),
            durationMs: SECONDS * 1000,
            command: 'pveversion',
            password: 'simulator',
            user: 'root',
          },
        });
        worker.once('message', (m: LoadResult) => {
          void worker.terminate();
          if (m.error) reject(new Error(m.error));
          else resolve(m);
        });
        worker.once('error', reject);
      });
    }),
  ).then((rs) => ({
    done: rs.reduce((s, r) => s + r.done, 0),
    errors: rs.reduce((s, r) => s + r.errors, 0),
    elapsed: Math.max(...rs.map((r) => r.elapsed)),
  }));
}

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const baseline = process.memoryUsage().rss;
  const t0 = performance.now();
  const clusters = Array.from({ length: Math.ceil(NODES / CLUSTER_SIZE) }, (_, i) => ({
    name: `bench${i + 1}`,
    nodes: Math.min(CLUSTER_SIZE, NODES - i * CLUSTER_SIZE),
  }));
  const sim = await startSimulator({ seed: 'bench', clusters, controlPort: false });
  const startMs = performance.now() - t0;
  gc?.();
  const rss = process.memoryUsage().rss;
  const nodeCount = sim.nodes().length;
  const rows: [string, string][] = [
    ['nodes started', String(nodeCount)],
    ['start time', `${startMs.toFixed(0)} ms`],
    ['RSS before start', mib(baseline)],
    [`RSS at ${nodeCount} nodes`, `${mib(rss)} (${((rss - baseline) / nodeCount / 1024).toFixed(1)} KiB per node)`],
  ];
  let failed = nodeCount !== NODES;
  // Event-loop utilisation of the simulator's thread: below 100% means the simulator had headroom
  // and the client (in worker threads, sharing the 2 cores) was the limit.
  let elu = performance.eventLoopUtilization();
  const kept = await runClient(sim, 'kept', Math.min(200, nodeCount), 64, 2).catch((e: unknown) => ({
    done: 0,
    errors: 1,
    elapsed: 1,
    error: e instanceof Error ? e.message : String(e),
  }));
  const keptElu = performance.eventLoopUtilization(elu).utilization;
  const keptRate = (kept.done / kept.elapsed) * 1000;
  rows.push([
    'exec/s, kept connections',
    `${keptRate.toFixed(0)} (200 nodes, 64 in flight, ${kept.errors} errors, simulator loop ${(keptElu * 100).toFixed(0)}% busy)`,
  ]);
  elu = performance.eventLoopUtilization();
  const fresh = await runClient(sim, 'new', nodeCount, 32, 2).catch((e: unknown) => ({
    done: 0,
    errors: 1,
    elapsed: 1,
    error: e instanceof Error ? e.message : String(e),
  }));
  const freshElu = performance.eventLoopUtilization(elu).utilization;
  const freshRate = (fresh.done / fresh.elapsed) * 1000;
  rows.push([
    'exec/s, new connection each',
    `${freshRate.toFixed(0)} (${nodeCount} nodes, 32 in flight, ${fresh.errors} errors, simulator loop ${(freshElu * 100).toFixed(0)}% busy)`,
  ]);
  rows.push(['RSS after load', mib(process.memoryUsage().rss)]);
  if (!kept.done || !fresh.done) failed = true;
  await sim.stop();
  const w = Math.max(...rows.map(([k]) => k.length));
  console.log(`\nSimulator benchmark (${SECONDS}s per load run, client in 2 worker threads)\n`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
  console.log(
    `\nheadline: ${nodeCount} nodes started in ${(startMs / 1000).toFixed(2)} s at ${mib(rss)} RSS; ${keptRate.toFixed(0)} exec/s kept-connection, ${freshRate.toFixed(0)} exec/s new-connection`,
  );
  process.exit(failed ? 1 : 0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
