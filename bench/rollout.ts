// Rolling upgrades: wall time of a 20-node rollout (two batches of 10) and of three 4-node clusters
// side by side, against the simulator with its default reboot time. Production tick (500 ms).
//   npm run bench:rollout [-- --smoke]
import { rolloutDetailSchema } from '@pvefleet/contracts';
import type { z } from 'zod';
import {
  Pvefleet,
  SMOKE,
  fleetTask,
  printTable,
  registerNodes,
  requireBuild,
  runBench,
  sleep,
  startServices,
  startSimulatorProcess,
  stopProc,
  waitStopped,
  type Services,
} from './lib/harness';

type RolloutDetail = z.infer<typeof rolloutDetailSchema>;

async function measure(services: Services, label: string, simArgs: string[], body: Record<string, unknown>) {
  const sim = await startSimulatorProcess(simArgs);
  const p = await Pvefleet.start(services, { workers: 1 });
  try {
    await registerNodes(p, sim);
    const nodes = sim.nodes.map((n) => n.name);
    await waitStopped(services.pool, await fleetTask(p, { selector: { nodes }, type: 'facts' }));
    const t0 = performance.now();
    const created = await p.request('POST', '/rollouts', { selector: { nodes }, ...body });
    if (created.status !== 201) throw new Error(`${label}: ${JSON.stringify(created.body)}`);
    const { id } = rolloutDetailSchema.parse(created.body);
    let r: RolloutDetail;
    for (;;) {
      r = rolloutDetailSchema.parse((await p.request('GET', `/rollouts/${id}`)).body);
      if (['completed', 'halted', 'failed', 'aborted'].includes(r.status)) break;
      await sleep(200);
    }
    const seconds = (performance.now() - t0) / 1000;
    if (r.status !== 'completed' || r.progress.failed) throw new Error(`${label}: ${r.status} (${r.reason})`);
    return {
      rollout: label,
      nodes: nodes.length,
      batches: r.batches.length,
      upgraded: r.progress.done,
      'wall s': seconds,
      's per batch': seconds / r.batches.length,
    };
  } finally {
    await p.stop();
    await stopProc(sim.child);
  }
}

/** Standalone nodes have nowhere to move their guests: they are shut down for the reboot and started again. */
const STANDALONE_JOB = { type: 'aptupgrade', params: { guests: 'shutdown' } };

runBench(async () => {
  requireBuild();
  const services = await startServices('pvefleet_bench_rollout');
  try {
    const rows = SMOKE
      ? [
          await measure(services, '4 standalone, batches of 2', ['--standalone', '4', '--reboot-delay', '300'], {
            batchSize: 2,
            job: STANDALONE_JOB,
          }),
        ]
      : [
          await measure(services, '20 standalone, batches of 10', ['--standalone', '20'], { batchSize: 10, job: STANDALONE_JOB }),
          await measure(
            services,
            '3 clusters x 4, side by side',
            ['--cluster', 'alpha:4', '--cluster', 'beta:4', '--cluster', 'gamma:4'],
            {},
          ),
        ];
    printTable('rolling upgrades against the simulator (reboot 2 s, one worker, tick 500 ms)', rows);
    console.log(`\nrollouts: ${rows.map((r) => `${r.rollout}: ${r['wall s'].toFixed(1)} s`).join('; ')}`);
  } finally {
    await services.stop();
  }
});
