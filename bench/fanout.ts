/**
 * Fan-out benchmark: one read-only `pveversion` on N simulated nodes at parallelism F, by pvefleet
 * (one fleet task, from the API call until every task is stopped with its log in Postgres), by
 * Ansible's raw module at its default SSH settings, by parallel-ssh, and by a bare ssh2 loop (the
 * floor). Same client key, same known host keys, checking on, for all. pvefleet runs cold (a fresh
 * worker with no connection to the measured nodes; before the run it fans out once over spare nodes
 * so its code is compiled, as in a worker that has been up for a while and as in the bare loop's
 * process) and then warm (the connections its cold run left open). Ansible runs warm too (its
 * ControlPersist masters) at the largest N and F. Prints every run, the targets, the simulator's
 * headroom, and a headline.
 *
 *   npm run bench:fanout                  N = 100, 500, 1000; F = 50, 200; every tool (~8 min)
 *   npm run bench:fanout -- --smoke       N = 20, F = 10; pvefleet and the bare loop only
 *   npm run bench:fanout -- --nodes 1000 --parallel 200 --profile
 *                                         where pvefleet's API and worker spend their time
 * Options: --nodes 100,500 --parallel 50 --repeat 3 (pvefleet and the bare loop; the median is
 * shown) --ansible-warm 1000 (sizes at which Ansible also runs warm) --spare 50 (0: the cold run is
 * the worker's very first) --no-peers.
 */
import { spawnSync } from 'node:child_process';
import { bareSshLoop } from './lib/bare-ssh-loop';
import { restartWorkers } from './lib/fanout-procs';
import { profilerEnv } from './lib/fanout-profile';
import { profileFanout } from './lib/fanout-profile-run';
import { PvefleetFanout } from './lib/fanout-pvefleet';
import { headline, medians, resultRows, simulatorRows, targetRows, type Measurement } from './lib/fanout-report';
import {
  arg,
  cpuSeconds,
  printTable,
  Pvefleet,
  registerNodes,
  requireBuild,
  runBench,
  SMOKE,
  startServices,
  startSimulatorProcess,
} from './lib/harness';
import { missingPeers, PeerSetup, type PeerNode } from './lib/peers';

function list(name: string, fallback: number[]): number[] {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1].split(',').map(Number) : fallback;
}

const PROFILE = process.argv.includes('--profile');
const SIZES = SMOKE ? [20] : list('nodes', [100, 500, 1000]);
const PARALLEL = SMOKE ? [10] : list('parallel', [50, 200]);
const REPEAT = SMOKE ? 1 : arg('repeat', 3);
/** A warm Ansible run at 1,000 nodes costs another ~45 s: by default only at the largest N and F. */
const ANSIBLE_WARM = list('ansible-warm', [Math.max(...SIZES)]);
const COMMAND = 'pveversion';
/** Simulated nodes beyond the measured ones: a restarted worker warms up on these (`--spare 0`: none). */
const SPARE = SMOKE ? 10 : arg('spare', 50);
const WITH_PEERS = !SMOKE && !PROFILE && !process.argv.includes('--no-peers');

function ensurePeers(): void {
  if (!missingPeers().length) return;
  console.log(`installing the peers (${missingPeers().join(', ')} missing)…`);
  spawnSync('bash', ['scripts/ensure-system-packages.sh', 'bench'], { stdio: 'inherit' });
  if (missingPeers().length) throw new Error(`peers still missing: ${missingPeers().join(', ')}`);
}

async function main(): Promise<void> {
  requireBuild();
  if (WITH_PEERS) ensurePeers();
  const maxN = Math.max(...SIZES);
  const services = await startServices('pvefleet_fanout');
  const sim = await startSimulatorProcess(['--standalone', String(maxN + SPARE)]);
  // Profiling: both processes load a preload that starts and stops the V8 profiler on SIGWINCH.
  const profiler = PROFILE ? profilerEnv() : undefined;
  const p = await Pvefleet.start(services, { workers: 1, env: { PVEFLEET_WORKER_CONCURRENCY: String(PARALLEL[0]), ...profiler?.env } });
  const cleanups: (() => Promise<unknown>)[] = [() => p.stop(), () => sim.stop(), () => services.stop()];
  try {
    const t0 = performance.now();
    await registerNodes(p, sim);
    console.log(`${sim.nodes.length} simulated nodes registered in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const fanout = await PvefleetFanout.create(p, services);
    const names = sim.nodes.map((n) => n.name);
    const spare = names.slice(maxN);
    // A fresh worker with compiled code and no connection to the measured nodes.
    const coldWorker = async (f: number) => {
      await restartWorkers(p, { PVEFLEET_WORKER_CONCURRENCY: String(f) });
      if (spare.length) await fanout.run(spare, [COMMAND]);
    };
    // The API's code paths get compiled before anything is timed (it is a long-lived server).
    await fanout.run(spare.length ? spare : names.slice(0, Math.min(20, maxN)), [COMMAND]);

    if (profiler) {
      const f = Math.max(...PARALLEL);
      await coldWorker(f);
      await profileFanout({
        p,
        services,
        fanout,
        dir: profiler.dir,
        n: maxN,
        f,
        nodes: sim.nodes,
        user: sim.user,
        privateKey: sim.privateKey,
        command: COMMAND,
        simPid: sim.child.pid!,
      });
      return;
    }

    let peers: PeerSetup | undefined;
    if (WITH_PEERS) {
      const keys = (await (await fetch(`${sim.controlUrl}/nodes`)).json()) as PeerNode[];
      peers = new PeerSetup(keys, sim.user, sim.keyFile);
      cleanups.unshift(() => peers!.cleanup());
    } else {
      console.log(
        `\nnote: ${SMOKE ? '--smoke' : '--no-peers'}: Ansible and parallel-ssh are skipped (pvefleet and the bare ssh2 loop only)`,
      );
    }

    const runs: Measurement[] = [];
    const simCpu = () => cpuSeconds(sim.child.pid);
    const record = async (
      m: Pick<Measurement, 'tool' | 'conns' | 'n' | 'f'>,
      run: () => Promise<{ ok: number; wallS: number; cpuS: number; servicesCpuS?: number; problem?: string }>,
    ) => {
      const s0 = simCpu();
      const r = await run();
      runs.push({ ...m, ok: r.ok, wallS: r.wallS, cpuS: r.cpuS, servicesCpuS: r.servicesCpuS, simCpuS: simCpu() - s0 });
      console.log(
        `  ${m.tool.padEnd(14)} ${m.conns.padEnd(4)} N=${String(m.n).padEnd(4)} F=${String(m.f).padEnd(3)} ${r.ok}/${m.n} ok  ${r.wallS.toFixed(2)} s  CPU ${r.cpuS.toFixed(2)} s`,
      );
      if (r.problem) console.log(`    problem: ${r.problem.replaceAll('\n', '\n    ')}`);
    };

    for (const f of PARALLEL) {
      for (const n of SIZES) {
        console.log(`\nN=${n} F=${f}`);
        const targets = sim.nodes.slice(0, n);
        for (let i = 0; i < REPEAT; i++) {
          await coldWorker(f);
          await record({ tool: 'pvefleet', conns: 'new', n, f }, () => fanout.run(names.slice(0, n), [COMMAND]));
          await record({ tool: 'pvefleet', conns: 'kept', n, f }, () => fanout.run(names.slice(0, n), [COMMAND]));
          await record({ tool: 'bare ssh2 loop', conns: 'new', n, f }, async () => {
            const r = await bareSshLoop({ targets, user: sim.user, privateKey: sim.privateKey, command: COMMAND, parallel: f });
            return { ...r, ...(r.errors.length ? { problem: r.errors.slice(0, 3).join('; ') } : {}) };
          });
        }
        if (!peers) continue;
        await record({ tool: 'parallel-ssh', conns: 'new', n, f }, () => peers.parallelSsh(n, f, COMMAND));
        await record({ tool: 'ansible raw', conns: 'new', n, f }, () => peers.ansibleRaw(n, f, COMMAND));
        if (ANSIBLE_WARM.includes(n) && f === Math.max(...PARALLEL)) {
          await record({ tool: 'ansible raw', conns: 'kept', n, f }, () => peers.ansibleRaw(n, f, COMMAND));
        }
        await peers.endMasters();
      }
    }

    const ms = medians(runs);
    printTable(
      `Fan-out: one \`${COMMAND}\` per node. Wall from start to every result, CPU of the tool's processes; ratios are tool ÷ peer (< 1 = faster). ` +
        `pvefleet and the bare loop: median of ${REPEAT} runs`,
      resultRows(ms),
    );
    printTable('Targets', targetRows(ms));
    printTable(
      'Simulator headroom per client (one Node thread; capacity = execs ÷ its CPU seconds; busy % = its CPU ÷ wall)',
      simulatorRows(ms),
    );
    const failed = runs.filter((m) => m.ok < m.n);
    if (failed.length)
      throw new Error(
        `${failed.length} runs did not reach every node: ${failed.map((m) => `${m.tool} N=${m.n} F=${m.f} ${m.conns}`).join(', ')}`,
      );
    console.log(`\n${headline(ms)}`);
  } finally {
    for (const c of cleanups) await c().catch(() => {});
  }
}

runBench(main);
