// CPU profiles of pvefleet's own processes during one fan-out, and where their time went.
// `--cpu-prof` writes only on a normal exit, and Nest re-raises SIGTERM, so the profile would be
// lost: instead a preload starts the V8 profiler on the first SIGWINCH and writes it on the second,
// which also keeps boot out of the profile. (SIGWINCH because Nest's shutdown hooks take SIGUSR2, and
// a process without the preload ignores it.)
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { sleep } from './harness';

const PRELOAD = `
const inspector = require('node:inspector');
const fs = require('node:fs');
const path = require('node:path');
const dir = process.env.BENCH_PROFILE_DIR;
const session = new inspector.Session();
session.connect();
session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: Number(process.env.BENCH_PROFILE_INTERVAL_US || 500) }));
let running = false;
let seq = 0;
process.on('SIGWINCH', () => {
  if (!running) { running = true; session.post('Profiler.start'); return; }
  running = false;
  session.post('Profiler.stop', (err, res) => {
    if (err) return;
    const file = path.join(dir, process.pid + '-' + ++seq + '.cpuprofile');
    fs.writeFileSync(file + '.tmp', JSON.stringify(res.profile));
    fs.renameSync(file + '.tmp', file);
  });
});
`;

/** Env that makes a pvefleet process profilable with `toggleProfiler`; profiles land in `dir`. */
export function profilerEnv(): { dir: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'pvefleet-prof-'));
  const preload = join(dir, 'preload.cjs');
  writeFileSync(preload, PRELOAD);
  return { dir, env: { NODE_OPTIONS: `--require ${preload}`, BENCH_PROFILE_DIR: dir } };
}

/** First call starts the profiler in each process; the second stops it and waits for the files. */
export async function toggleProfiler(dir: string, pids: number[], seq: number): Promise<string[]> {
  for (const pid of pids) process.kill(pid, 'SIGWINCH');
  if (seq === 0) return [];
  const files = pids.map((pid) => join(dir, `${pid}-${seq}.cpuprofile`));
  const deadline = Date.now() + 30_000;
  while (!files.every((f) => existsSync(f))) {
    if (Date.now() > deadline) throw new Error(`profiles not written: ${readdirSync(dir).join(', ')}`);
    await sleep(50);
  }
  return files;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** What a frame's code is, from its script: the nearest classifiable frame up the stack names a sample. */
function classify(url: string, name: string): string | undefined {
  if (name === '(idle)') return 'idle (waiting for I/O)';
  if (name === '(garbage collector)') return 'GC';
  if (name === '(program)') return 'V8/native, unattributed';
  if (!url) return undefined;
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url);
  if (m) {
    const [, pkg, file] = m;
    if (pkg === 'ssh2') {
      if (file.startsWith('lib/protocol/kex')) return 'ssh2: key exchange (handshake)';
      if (file.startsWith('lib/protocol/crypto')) return 'ssh2: cipher/MAC';
      if (file.startsWith('lib/protocol/keyParser')) return 'ssh2: key parse/sign (auth)';
      return 'ssh2: protocol/channels';
    }
    if (pkg === 'node-ssh') return 'node-ssh';
    if (/^pg(-|$)/.test(pkg) || pkg === 'postgres-array' || pkg === 'postgres-date') return 'Postgres client (pg)';
    if (['ioredis', 'bullmq', 'msgpackr', 'redis-parser', 'redis-errors', 'cluster-key-slot', 'standard-as-callback'].includes(pkg))
      return 'Redis/BullMQ';
    if (pkg.startsWith('@nestjs/')) return 'NestJS';
    if (['express', 'body-parser', 'router', 'raw-body', 'finalhandler', 'send', 'qs', 'iconv-lite'].includes(pkg)) return 'Express';
    if (pkg.startsWith('@prisma/')) return 'Prisma';
    if (pkg === 'zod') return 'zod';
    return `npm: ${pkg}`;
  }
  const lib = /\/dist\/apps\/[^/]+\/libs\/([^/]+)\/src\/(?:([^/]+)\/)?/.exec(url);
  if (lib) return lib[1] === 'tasks' && lib[2] === 'log' ? 'pvefleet: task log' : `pvefleet: libs/${lib[1]}`;
  if (/\/dist\/apps\//.test(url)) return 'pvefleet: app';
  if (url.startsWith('node:')) return undefined; // Node's own JS: charge it to whoever called it
  return `other: ${basename(url)}`;
}

export interface ProfileSummary {
  seconds: number;
  busyPct: number;
  categories: { category: string; ms: number; pct: number }[];
  top: { fn: string; ms: number }[];
  /** Longest stretches without an idle sample: how long the event loop could not answer. */
  longestBusyMs: number[];
  stallsOver50ms: number;
}

export function summarizeProfile(file: string): ProfileSummary {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const category = new Map<number, string>();
  const categoryOf = (id: number): string => {
    const known = category.get(id);
    if (known) return known;
    const n = byId.get(id)!;
    const own = classify(n.callFrame.url, n.callFrame.functionName);
    const up = parent.get(id);
    const c = own ?? (up === undefined ? 'Node core (net, timers, streams)' : categoryOf(up));
    category.set(id, c);
    return c;
  };

  const catMs = new Map<string, number>();
  const fnMs = new Map<string, number>();
  const busy: number[] = [];
  let run = 0;
  let total = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    // timeDeltas[i] is the gap before sample i; charge the gap after it (the next delta) to it.
    const ms = (prof.timeDeltas[i + 1] ?? 0) / 1000;
    const node = byId.get(prof.samples[i])!;
    const c = categoryOf(node.id);
    total += ms;
    catMs.set(c, (catMs.get(c) ?? 0) + ms);
    const f = node.callFrame;
    const fn = `${f.functionName || '(anonymous)'} ${f.url ? `${basename(f.url)}:${f.lineNumber + 1}` : ''}`.trim();
    fnMs.set(fn, (fnMs.get(fn) ?? 0) + ms);
    if (f.functionName === '(idle)') {
      if (run) busy.push(run);
      run = 0;
    } else run += ms;
  }
  if (run) busy.push(run);
  const idle = catMs.get('idle (waiting for I/O)') ?? 0;
  busy.sort((a, b) => b - a);
  return {
    seconds: total / 1000,
    busyPct: total ? ((total - idle) / total) * 100 : 0,
    categories: [...catMs].map(([c, ms]) => ({ category: c, ms, pct: total ? (ms / total) * 100 : 0 })).sort((a, b) => b.ms - a.ms),
    top: [...fnMs]
      .filter(([fn]) => fn !== '(idle)')
      .map(([fn, ms]) => ({ fn, ms }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 15),
    longestBusyMs: busy.slice(0, 5),
    stallsOver50ms: busy.filter((b) => b > 50).length,
  };
}
