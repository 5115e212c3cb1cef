/**
 * Footprint benchmark: resident memory of pvefleet's API and worker with 1,000 registered nodes,
 * idle, at their peak during a 1,000-node fan-out, and afterwards while the worker keeps its 1,000
 * SSH connections open (before they expire). Targets: API < 200 MB, worker < 300 MB.
 *
 *   npm run bench:footprint [-- --nodes 1000 --parallel 200]
 *   npm run bench:footprint -- --smoke          20 nodes
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { restartWorkers } from './lib/fanout-procs';
import { PvefleetFanout } from './lib/fanout-pvefleet';
import {
  arg,
  memoryMb,
  printTable,
  Pvefleet,
  registerNodes,
  requireBuild,
  rssSampler,
  runBench,
  sleep,
  SMOKE,
  startServices,
  startSimulatorProcess,
} from './lib/harness';

const NODES = SMOKE ? 20 : arg('nodes', 1000);
const PARALLEL = SMOKE ? 10 : arg('parallel', 200);
const TARGET_MB = { api: 200, worker: 300 };
/** RSS settles after a burst (freed heap is returned lazily); readings are taken after this pause. */
const SETTLE_MS = SMOKE ? 500 : 3_000;

/** Open TCP sockets of a process: how many SSH connections the worker's pool holds (plus a few to Postgres and Redis). */
function socketCount(pid: number | undefined): number {
  if (!pid) return 0;
  let n = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) n++;
    } catch {
      /* closed meanwhile */
    }
  }
  return n;
}

async function main(): Promise<void> {
  requireBuild();
  const services = await startServices('pvefleet_footprint');
  const sim = await startSimulatorProcess(['--standalone', String(NODES)]);
  const p = await Pvefleet.start(services, { workers: 1 });
  try {
    await sleep(SETTLE_MS);
    const booted = { api: memoryMb(p.api.child.pid).rss, worker: memoryMb(p.workers[0].child.pid).rss };
    await registerNodes(p, sim);
    // A fresh worker: idle means it has never run a task, the API has just served 1,000 registrations.
    await restartWorkers(p, { PVEFLEET_WORKER_CONCURRENCY: String(PARALLEL), PVEFLEET_SSH_MAX_IDLE_CONNECTIONS: String(Math.max(2_000, NODES)) });
    const api = () => p.api.child.pid;
    const worker = () => p.workers[0].child.pid;
    await sleep(SETTLE_MS);
    const rows: Record<string, string | number>[] = [];
    const row = (state: string, a: number, w: number) => rows.push({ state, 'API MB': a, 'worker MB': w, 'worker sockets': socketCount(worker()) });
    rows.push({ state: 'just started, no nodes', 'API MB': booted.api, 'worker MB': booted.worker, 'worker sockets': '' });
    row(`idle, ${NODES} nodes registered`, memoryMb(api()).rss, memoryMb(worker()).rss);

    const fanout = await PvefleetFanout.create(p, services);
    const apiPeak = rssSampler(api(), 50);
    const workerPeak = rssSampler(worker(), 50);
    const run = await fanout.run(sim.nodes.map((n) => n.name), ['pveversion']);
    row(`peak during a ${NODES}-node fan-out (F=${PARALLEL}, ${run.wallS.toFixed(2)} s)`, apiPeak.stop(), workerPeak.stop());
    if (run.ok !== NODES) throw new Error(`the fan-out reached ${run.ok}/${NODES} nodes: ${run.problem}`);

    await sleep(SETTLE_MS);
    const kept = socketCount(worker());
    row(`after it, ${NODES} SSH connections kept`, memoryMb(api()).rss, memoryMb(worker()).rss);
    // Kept connections must really be there, or the last row measures something else.
    if (kept < NODES) throw new Error(`the worker holds ${kept} sockets, expected ≥ ${NODES} kept SSH connections`);

    printTable(`Footprint: resident memory (MB), targets API < ${TARGET_MB.api}, worker < ${TARGET_MB.worker}`, rows.map((r) => ({
      ...r,
      'API MB': (r['API MB'] as number).toFixed(0),
      'worker MB': (r['worker MB'] as number).toFixed(0),
    })));
    const apiMax = Math.max(...rows.map((r) => r['API MB'] as number));
    const workerMax = Math.max(...rows.map((r) => r['worker MB'] as number));
    const verdict = (v: number, t: number) => `${v.toFixed(0)} MB (${v < t ? 'met' : 'MISSED'}, < ${t})`;
    console.log(`\nheadline: ${NODES} nodes: API at most ${verdict(apiMax, TARGET_MB.api)}; worker at most ${verdict(workerMax, TARGET_MB.worker)}`);
  } finally {
    await p.stop();
    await sim.stop();
    await services.stop();
  }
}

runBench(main);
