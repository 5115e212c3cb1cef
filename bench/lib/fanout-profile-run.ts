// `bench:fanout --profile`: one cold and one warm pvefleet fan-out with the V8 profiler on in the
// API and the worker, the bare loop profiled the same way (what pvefleet adds is the difference),
// and the bare loop with a cached signing key (what one fix in the SSH path would save). The
// profiler slows everything a little: take times from the normal benchmark, not from this one.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { bareSshLoop, type BareLoopOptions } from './bare-ssh-loop';
import { postgresTransactions, redisCommandCalls } from './fanout-procs';
import { summarizeProfile, toggleProfiler, type ProfileSummary } from './fanout-profile';
import type { PvefleetFanout, PvefleetRun } from './fanout-pvefleet';
import { cpuSeconds, printTable, sleep, type Pvefleet, type Services, type SimNode } from './harness';

export interface ProfileRunOptions {
  p: Pvefleet;
  services: Services;
  fanout: PvefleetFanout;
  dir: string;
  n: number;
  f: number;
  nodes: SimNode[];
  user: string;
  privateKey: string;
  command: string;
  simPid: number;
}

function print(label: string, s: ProfileSummary): void {
  printTable(
    `${label}: ${s.seconds.toFixed(2)} s profiled, busy ${s.busyPct.toFixed(0)}%`,
    s.categories.map((c) => ({ where: c.category, ms: Math.round(c.ms), '% of wall': c.pct.toFixed(1) })),
  );
  printTable(
    `${label}: top functions by self time`,
    s.top.map((t) => ({ function: t.fn, ms: Math.round(t.ms) })),
  );
  console.log(
    `${label}: longest busy stretches (event loop unable to answer) ${s.longestBusyMs.map((b) => b.toFixed(0)).join(', ')} ms; ${s.stallsOver50ms} over 50 ms`,
  );
}

function describeRun(phase: string, o: ProfileRunOptions, r: PvefleetRun, simBusy: number): string {
  const t = r.timeline;
  return (
    `\n== pvefleet ${phase}: N=${o.n} F=${o.f}: ${r.ok}/${o.n} ok in ${r.wallS.toFixed(2)} s (profiled)\n` +
    `   CPU s: API+worker ${r.cpuS.toFixed(2)}, Postgres ${r.postgresCpuS.toFixed(2)}, Redis ${r.redisCpuS.toFixed(2)}; simulator busy ${simBusy.toFixed(0)}%\n` +
    `   timeline (ms after the API call): 202 at ${t.acceptedMs}, first claim ${t.firstClaimMs}, last claim ${t.lastClaimMs}, last stop ${t.lastStopMs}`
  );
}

/** The bare loop in this process under the inspector's profiler. */
async function profiledBareLoop(o: BareLoopOptions, file: string): Promise<{ wallS: number; cpuS: number; summary: ProfileSummary }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  const r = await bareSshLoop(o);
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  writeFileSync(file, JSON.stringify(profile));
  return { wallS: r.wallS, cpuS: r.cpuS, summary: summarizeProfile(file) };
}

/** The bench polls Postgres this often in profile runs (its own transactions are subtracted from the counts). */
const POLL_MS = 100;

interface Counters {
  pg: number;
  redis: Map<string, number>;
}

const counters = async (o: ProfileRunOptions): Promise<Counters> => ({
  pg: await postgresTransactions(o.services),
  redis: await redisCommandCalls(o.services.redisUrl),
});

/** Postgres transactions and Redis commands per task since `before`: the round trips pvefleet made. */
async function roundTrips(o: ProfileRunOptions, before: Counters, r: PvefleetRun): Promise<string> {
  await sleep(1_500); // Postgres publishes its statistics at most once a second
  const after = await counters(o);
  // Ours: the polls (one per POLL_MS, plus the last check), the timeline query, and the counter reads.
  const own = Math.ceil((r.wallS * 1000) / POLL_MS) + 4;
  const pg = after.pg - before.pg - own;
  const delta = [...after.redis]
    .map(([cmd, n]) => [cmd, n - (before.redis.get(cmd) ?? 0)] as const)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  const total = delta.reduce((s, [, n]) => s + n, 0) - 1; // minus our INFO
  const top = delta
    .slice(0, 5)
    .map(([cmd, n]) => `${cmd} ${(n / r.ok).toFixed(2)}`)
    .join(', ');
  return `   round trips per task: Postgres transactions ${(pg / r.ok).toFixed(3)} (API + worker); Redis commands ${(total / r.ok).toFixed(2)} (${top})`;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Profiles a cold then a warm fan-out; the caller has just started a worker (see fanout.ts). */
export async function profileFanout(o: ProfileRunOptions): Promise<void> {
  const pids = [o.p.api.child.pid!, o.p.workers[0].child.pid!];
  const share = (s: ProfileSummary, prefix: string) =>
    s.categories.filter((c) => c.category.startsWith(prefix)).reduce((a, c) => a + c.pct, 0);
  const lines: string[] = [];
  let seq = 0;
  for (const phase of ['cold', 'warm'] as const) {
    const before = await counters(o);
    await toggleProfiler(o.dir, pids, 0);
    const sim0 = cpuSeconds(o.simPid);
    const r = await o.fanout.run(
      o.nodes.slice(0, o.n).map((x) => x.name),
      [o.command],
      POLL_MS,
    );
    const simBusy = ((cpuSeconds(o.simPid) - sim0) / r.wallS) * 100;
    const [api, worker] = (await toggleProfiler(o.dir, pids, ++seq)).map(summarizeProfile);
    console.log(describeRun(phase, o, r, simBusy));
    console.log(await roundTrips(o, before, r));
    print(`worker, ${phase}`, worker);
    print(`API, ${phase}`, api);
    lines.push(
      `${phase} ${r.wallS.toFixed(2)} s: worker busy ${worker.busyPct.toFixed(0)}% (ssh2 ${share(worker, 'ssh2').toFixed(0)}%, ` +
        `pg ${share(worker, 'Postgres').toFixed(0)}%, Redis/BullMQ ${share(worker, 'Redis').toFixed(0)}%, GC ${share(worker, 'GC').toFixed(0)}%), ` +
        `longest stall ${(worker.longestBusyMs[0] ?? 0).toFixed(0)} ms`,
    );
  }

  const bare: BareLoopOptions = {
    targets: o.nodes.slice(0, o.n),
    user: o.user,
    privateKey: o.privateKey,
    command: o.command,
    parallel: o.f,
  };
  const profiled = await profiledBareLoop(bare, join(o.dir, 'bare-loop.cpuprofile'));
  console.log(`\n== bare ssh2 loop: N=${o.n} F=${o.f} in ${profiled.wallS.toFixed(2)} s (profiled), CPU ${profiled.cpuS.toFixed(2)} s`);
  print('bare ssh2 loop', profiled.summary);

  // The signing fix, measured without the profiler: alternate the two so drift hits both alike.
  const plain: { wallS: number; cpuS: number }[] = [];
  const cached: { wallS: number; cpuS: number }[] = [];
  for (let i = 0; i < 3; i++) {
    plain.push(await bareSshLoop(bare));
    cached.push(await bareSshLoop({ ...bare, cachedKey: true }));
  }
  const row = (variant: string, xs: { wallS: number; cpuS: number }[]) => ({
    variant,
    'wall s (median of 3)': median(xs.map((x) => x.wallS)).toFixed(2),
    'client CPU s (median)': median(xs.map((x) => x.cpuS)).toFixed(2),
    'client CPU ms per host': ((median(xs.map((x) => x.cpuS)) / o.n) * 1000).toFixed(2),
  });
  printTable(`Signing with a cached KeyObject instead of ssh2's PEM-per-signature (bare loop, N=${o.n} F=${o.f}, no profiler)`, [
    row('ssh2 as configured by pvefleet (privateKey string)', plain),
    row('key parsed once, KeyObject signer', cached),
  ]);
  console.log(`\nprofiles: ${o.dir}`);
  console.log(`\nheadline: profiled fan-out: ${lines.join('; ')}`);
}
