// Task throughput: no-op tasks end to end (API → Postgres → BullMQ → worker → SSH on a kept
// connection → stopped), with 1 and 2 worker processes, and where each task's time goes.
//   npm run bench:throughput [-- --tasks 20000 --nodes 100 --smoke]
import {
  Pvefleet,
  SMOKE,
  arg,
  cpuSeconds,
  cpuSecondsMatching,
  machineBusySeconds,
  fleetTask,
  printTable,
  registerNodes,
  requireBuild,
  runBench,
  startServices,
  startSimulatorProcess,
  stopProc,
  waitStopped,
  type Services,
} from './lib/harness';

const NOOP = { type: 'exec', params: { argv: ['true'], readOnly: true } };

async function submit(p: Pvefleet, nodes: string[], total: number, parallel = 8): Promise<string[]> {
  const rounds = Math.ceil(total / nodes.length);
  const upids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < rounds) {
        next++;
        upids.push(...(await fleetTask(p, { selector: { nodes }, ...NOOP })));
      }
    }),
  );
  return upids;
}

async function run(
  services: Services,
  workers: number,
  nodes: string[],
  total: number,
  sim: Awaited<ReturnType<typeof startSimulatorProcess>>,
) {
  const p = await Pvefleet.start(services, { workers, env: { PVEFLEET_WORKER_CONCURRENCY: '200', PVEFLEET_DB_POOL_SIZE: '10' } });
  try {
    await registerNodes(p, sim);
    // Warm: one task per node opens the connections the measured tasks then reuse.
    const warm = await fleetTask(p, { selector: { nodes }, ...NOOP });
    const w = await waitStopped(services.pool, warm);
    if (w.ok !== warm.length) throw new Error(`warm-up failed: ${w.errors.join('; ')}`);

    const cpu0 = [p.api, ...p.workers].map((x) => cpuSeconds(x.child.pid));
    const others0 = {
      pg: cpuSecondsMatching(/^postgres/),
      redis: cpuSecondsMatching(/redis-server/),
      sim: cpuSeconds(sim.child.pid),
      all: machineBusySeconds(),
    };
    const t0 = performance.now();
    const upids = await submit(p, nodes, total);
    const submitted = performance.now();
    const done = await waitStopped(services.pool, upids, 600_000, 10);
    const t1 = performance.now();
    const cpu = [p.api, ...p.workers].map((x, i) => cpuSeconds(x.child.pid) - cpu0[i]);
    const wall = (t1 - t0) / 1000;
    const share = (v: number) => `${Math.round((100 * v) / wall)}%`;
    if (done.ok !== upids.length) throw new Error(`${upids.length - done.ok} tasks did not end OK: ${done.errors.join('; ')}`);
    return {
      workers,
      tasks: upids.length,
      'submit s': (submitted - t0) / 1000,
      'end-to-end s': (t1 - t0) / 1000,
      'tasks/s': Math.round(upids.length / ((t1 - t0) / 1000)),
      'api cpu ms/task': (cpu[0] * 1000) / upids.length,
      'worker cpu ms/task': (cpu.slice(1).reduce((a, b) => a + b, 0) * 1000) / upids.length,
      'machine busy': share(machineBusySeconds() - others0.all),
      postgres: share(cpuSecondsMatching(/^postgres/) - others0.pg),
      redis: share(cpuSecondsMatching(/redis-server/) - others0.redis),
      simulator: share(cpuSeconds(sim.child.pid) - others0.sim),
      'api cpu': share(cpu[0]),
      'worker cpu': share(cpu.slice(1).reduce((a, b) => a + b, 0)),
    };
  } finally {
    await p.stop();
  }
}

/** The API alone: tasks accepted per second with no worker consuming (rows + enqueue). */
async function apiOnly(services: Services, nodes: string[], total: number, sim: Awaited<ReturnType<typeof startSimulatorProcess>>) {
  const p = await Pvefleet.start(services, { workers: 0 });
  try {
    await registerNodes(p, sim);
    const t0 = performance.now();
    const upids = await submit(p, nodes, total);
    const s = (performance.now() - t0) / 1000;
    // Leave nothing queued behind for the next run.
    await services.pool.query(`UPDATE task SET status = 'stopped', exitstatus = 'bench: not run' WHERE upid = ANY($1)`, [upids]);
    return { 'api accepts tasks/s': Math.round(upids.length / s), 'api ms/task': (s * 1000) / upids.length };
  } finally {
    await p.stop();
  }
}

runBench(async () => {
  requireBuild();
  const nodeCount = arg('nodes', SMOKE ? 10 : 100);
  const total = arg('tasks', SMOKE ? 500 : 20_000);
  const services = await startServices('pvefleet_bench_throughput');
  const sim = await startSimulatorProcess(['--standalone', String(nodeCount), '--no-control']);
  try {
    const nodes = sim.nodes.map((n) => n.name);
    const api = await apiOnly(services, nodes, Math.min(total, 5_000), sim);
    const rows = [];
    for (const workers of [1, 2]) rows.push(await run(services, workers, nodes, total, sim));
    printTable(`no-op tasks (exec true) on ${nodeCount} nodes, kept SSH connections, worker concurrency 200`, rows);
    printTable('the API alone (no worker consuming)', [api]);
    const simCpu = cpuSeconds(sim.child.pid);
    console.log(`\nsimulator CPU over the whole run: ${simCpu.toFixed(1)} s`);
    const best = Math.max(...rows.map((r) => r['tasks/s']));
    console.log(
      `\nthroughput: ${best} tasks/s end to end (target >= 2000) [1 worker ${rows[0]['tasks/s']}/s, 2 workers ${rows[1]['tasks/s']}/s]`,
    );
  } finally {
    await stopProc(sim.child);
    await services.stop();
  }
});
