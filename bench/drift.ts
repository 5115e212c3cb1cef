/**
 * Drift at fleet scale: 10,000 nodes with stored facts and their observations, three profiles over
 * them (all nodes, a label, a set of clusters), then
 *   - p50/p99 of GET /drift (the fleet summary and a page of drifting nodes) through the HTTP API
 *     (target p99 < 100 ms), one request at a time, warm;
 *   - a full recomputation after a profile change: PUT /profiles/{name} answers once every node's
 *     drift is recomputed and written (target < 2 s).
 *
 *   npm run bench:drift [-- --nodes 10000 --samples 300 --changes 5]
 *   npm run bench:drift -- --smoke      (300 nodes, a few samples)
 */
import { Pvefleet, SMOKE, arg, printTable, requireBuild, runBench, startServices } from './lib/harness';
import { driftProfiles, seedDriftNodes } from './lib/drift-seed';
import { measureShape, percentile } from './lib/history-measure';

const NODES = arg('nodes', SMOKE ? 300 : 10_000);
const SAMPLES = arg('samples', SMOKE ? 5 : 300);
const WARMUP = arg('warmup', SMOKE ? 10 : 30);
const CHANGES = arg('changes', SMOKE ? 2 : 5);
const CLUSTERS = Math.max(1, Math.round(NODES / 20));
const TARGET_SUMMARY_MS = 100;
const TARGET_RECOMPUTE_MS = 2_000;

const n = (x: number) => Math.round(x).toLocaleString('en');
const ms = (x: number) => Number(x.toFixed(1));

async function main(): Promise<void> {
  requireBuild();
  const services = await startServices('pvefleet_bench_drift');
  let p: Pvefleet | undefined;
  try {
    const t0 = performance.now();
    await seedDriftNodes(services.pool, NODES, CLUSTERS);
    const seedMs = performance.now() - t0;

    p = await Pvefleet.start(services, { workers: 0 });
    const created: { name: string; ms: number }[] = [];
    for (const profile of driftProfiles(CLUSTERS, ['ntp1.example.com', 'ntp2.example.com'])) {
      const t = performance.now();
      const res = await p.request('POST', '/profiles', profile);
      if (res.status !== 201) throw new Error(`POST /profiles ${profile.name}: ${res.status} ${JSON.stringify(res.body)}`);
      created.push({ name: profile.name, ms: performance.now() - t });
    }
    const rows = await services.pool.query<{ n: string }>('SELECT count(*) AS n FROM node_drift');
    printTable(`Seeding ${n(NODES)} nodes in ${n(CLUSTERS)} clusters (facts and observations) and 3 profiles`, [
      { step: 'nodes (INSERT … SELECT FROM unnest, 1,000 a statement)', seconds: seedMs / 1000 },
      ...created.map((c) => ({ step: `POST /profiles ${c.name} (answers once drift is recomputed)`, seconds: c.ms / 1000 })),
      { step: `node_drift rows: ${n(Number(rows.rows[0].n))}`, seconds: '' },
    ]);

    // A full recomputation: the fra profile's NTP servers change back and forth.
    const recompute: number[] = [];
    const fra = driftProfiles(CLUSTERS, [])[1];
    for (let i = 0; i < CHANGES; i++) {
      const servers = i % 2 === 0 ? ['ntp3.example.com'] : ['ntp1.example.com', 'ntp2.example.com'];
      const t = performance.now();
      const res = await p.request('PUT', '/profiles/fra', {
        ...fra,
        name: undefined,
        fields: { ntp: { value: { servers, keepDefaultPool: false } } },
      });
      recompute.push(performance.now() - t);
      if (res.status !== 200) throw new Error(`PUT /profiles/fra: ${res.status} ${JSON.stringify(res.body)}`);
    }
    recompute.sort((a, b) => a - b);

    const summary = await measureShape(
      p,
      { name: 'GET /drift (summary and the first page)', targetMs: TARGET_SUMMARY_MS, path: () => '/drift' },
      WARMUP,
      SAMPLES,
    );
    const paged = await measureShape(
      p,
      {
        name: 'GET /drift?field=ntp&start=… (a later page of one field)',
        targetMs: TARGET_SUMMARY_MS,
        path: (i) => `/drift?field=ntp&start=${(i * 50) % Math.max(50, Math.floor(NODES / 3))}`,
      },
      WARMUP,
      SAMPLES,
    );
    const floor = await measureShape(p, { name: 'GET /health', targetMs: 0, path: () => '/health' }, WARMUP, SAMPLES);
    printTable(`GET /drift through the HTTP API, warm, one request at a time (${n(NODES)} nodes)`, [
      ...[summary, paged].map((r) => ({
        query: r.shape.name,
        samples: r.samples,
        'p50 ms': ms(r.p50),
        'p99 ms': ms(r.p99),
        'max ms': ms(r.max),
        target: `p99 < ${TARGET_SUMMARY_MS}`,
        met: r.p99 < TARGET_SUMMARY_MS ? 'yes' : 'NO',
      })),
    ]);
    console.log(`(for scale: GET /health, one Postgres and one Redis ping, p50 ${ms(floor.p50)} ms, p99 ${ms(floor.p99)} ms)`);
    const worst = recompute[recompute.length - 1];
    printTable(`Full recomputation after a profile change (PUT /profiles/fra, ${CHANGES} changes)`, [
      {
        'p50 ms': ms(percentile(recompute, 50)),
        'max ms': ms(worst),
        target: `< ${TARGET_RECOMPUTE_MS}`,
        met: worst < TARGET_RECOMPUTE_MS ? 'yes' : 'NO',
      },
    ]);
    const p99 = Math.max(summary.p99, paged.p99);
    console.log(
      `\ndrift: GET /drift p99 ${ms(p99)} ms (target < ${TARGET_SUMMARY_MS}), full recomputation after a profile change ${ms(worst)} ms ` +
        `(target < ${TARGET_RECOMPUTE_MS}) at ${n(NODES)} nodes` +
        (SMOKE ? ' (smoke size: the targets are for 10,000 nodes)' : ''),
    );
  } finally {
    await p?.stop();
    await services.stop();
  }
}

runBench(main);
