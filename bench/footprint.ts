/**
 * Footprint benchmark: resident memory of pvefleet's API and worker with 1,000 registered nodes,
 * idle, at their peak during a 1,000-node fan-out, and afterwards while the worker keeps its 1,000
 * SSH connections open (before they expire). Targets: API < 200 MB, worker < 300 MB. Beside RSS,
 * how much of it is V8's heap (the rest is compiled WebAssembly, native code and malloc).
 *
 *   npm run bench:footprint [-- --nodes 1000 --parallel 200]
 *   npm run bench:footprint -- --smoke          20 nodes
 *   BENCH_NODE_ARGS="--max-semi-space-size=4" npm run bench:footprint      (flags for both processes)
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { MemoryReporter, type MemoryBreakdown } from './lib/fanout-memory';
import { restartWorkers } from './lib/fanout-procs';
import { PvefleetFanout } from './lib/fanout-pvefleet';
import {
  arg,
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

/** Open sockets of a process: the SSH connections the worker's pool holds, plus a few to Postgres and Redis. */
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

interface Reading {
  state: string;
  api: number;
  worker: number;
  apiMem?: MemoryBreakdown;
  workerMem?: MemoryBreakdown;
  sockets: number | '';
}

const heap = (m?: MemoryBreakdown) => (m ? `${m.heapUsedMb.toFixed(0)}/${m.heapTotalMb.toFixed(0)}` : '');
const outside = (m?: MemoryBreakdown) => (m ? (m.rssMb - m.heapTotalMb).toFixed(0) : '');

async function main(): Promise<void> {
  requireBuild();
  const services = await startServices('pvefleet_footprint');
  const sim = await startSimulatorProcess(['--standalone', String(NODES)]);
  const memory = new MemoryReporter();
  const p = await Pvefleet.start(services, { workers: 1, env: memory.env });
  try {
    const readings: Reading[] = [];
    const read = async (state: string, sockets = true) => {
      const [apiMem, workerMem] = [await memory.read(p.api.child.pid!), await memory.read(p.workers[0].child.pid!)];
      readings.push({
        state,
        api: apiMem.rssMb,
        worker: workerMem.rssMb,
        apiMem,
        workerMem,
        sockets: sockets ? socketCount(p.workers[0].child.pid) : '',
      });
    };
    await sleep(SETTLE_MS);
    await read('just started, no nodes', false);
    await registerNodes(p, sim);
    // A fresh worker: idle means it has never run a task; the API has just served the registrations.
    await restartWorkers(p, {
      PVEFLEET_WORKER_CONCURRENCY: String(PARALLEL),
      PVEFLEET_SSH_MAX_IDLE_CONNECTIONS: String(Math.max(2_000, NODES)),
    });
    await sleep(SETTLE_MS);
    await read(`idle, ${NODES} nodes registered`);

    const fanout = await PvefleetFanout.create(p, services);
    const apiPeak = rssSampler(p.api.child.pid, 50);
    const workerPeak = rssSampler(p.workers[0].child.pid, 50);
    const run = await fanout.run(
      sim.nodes.map((n) => n.name),
      ['pveversion'],
    );
    readings.push({
      state: `peak during a ${NODES}-node fan-out (F=${PARALLEL}, ${run.wallS.toFixed(2)} s)`,
      api: apiPeak.stop(),
      worker: workerPeak.stop(),
      sockets: '',
    });
    if (run.ok !== NODES) throw new Error(`the fan-out reached ${run.ok}/${NODES} nodes: ${run.problem}`);

    await sleep(SETTLE_MS);
    await read(`after it, ${NODES} SSH connections kept`);
    const kept = socketCount(p.workers[0].child.pid);
    // Kept connections must really be there, or the last row measures something else.
    if (kept < NODES) throw new Error(`the worker holds ${kept} sockets, expected ≥ ${NODES} kept SSH connections`);

    const flags = process.env.BENCH_NODE_ARGS ? ` (node ${process.env.BENCH_NODE_ARGS})` : '';
    printTable(
      `Footprint${flags}: resident memory (MB); targets API < ${TARGET_MB.api}, worker < ${TARGET_MB.worker}. heap = V8 heap used/total; outside heap = RSS − heap total`,
      readings.map((r) => ({
        state: r.state,
        'API MB': r.api.toFixed(0),
        'API heap': heap(r.apiMem),
        'API outside heap': outside(r.apiMem),
        'worker MB': r.worker.toFixed(0),
        'worker heap': heap(r.workerMem),
        'worker outside heap': outside(r.workerMem),
        'worker sockets': r.sockets,
      })),
    );
    const apiMax = Math.max(...readings.map((r) => r.api));
    const workerMax = Math.max(...readings.map((r) => r.worker));
    const verdict = (v: number, t: number) => `${v.toFixed(0)} MB (${v < t ? 'met' : 'MISSED'}, < ${t})`;
    console.log(
      `\nheadline: ${NODES} nodes: API at most ${verdict(apiMax, TARGET_MB.api)}; worker at most ${verdict(workerMax, TARGET_MB.worker)}`,
    );
  } finally {
    await p.stop();
    await sim.stop();
    await services.stop();
    memory.cleanup();
  }
}

runBench(main);
