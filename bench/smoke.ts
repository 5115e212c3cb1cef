// Every pvefleet benchmark at tiny sizes, one after another, so none of them rots. Part of `npm test`.
//   npm run bench:smoke
import { spawnSync } from 'node:child_process';
import { printTable } from './lib/harness';

const BENCHES = ['throughput', 'logs', 'rollout', 'fanout', 'footprint', 'history', 'simulator', 'drills', 'drift'];

const rows: Record<string, string | number>[] = [];
let failed = 0;
for (const name of BENCHES) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', `bench/${name}.ts`, '--smoke'], { encoding: 'utf8', timeout: 120_000 });
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- Node leaves stdout/stderr null when the child could not be spawned at all
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n');
  const ok = r.status === 0;
  if (!ok) {
    failed++;
    console.error(`\nbench:${name} --smoke failed (${r.status ?? r.signal}):\n${out.slice(-20).join('\n')}`);
  }
  rows.push({
    bench: name,
    result: ok ? 'measured' : 'FAILED',
    s: (performance.now() - t0) / 1000,
    headline: (out.filter((l) => l.trim()).at(-1) ?? '').slice(0, 110),
  });
}
printTable('benchmarks at smoke size', rows);
console.log(`\nbench:smoke: ${rows.length - failed}/${rows.length} benchmarks measured`);
process.exit(failed ? 1 : 0);
