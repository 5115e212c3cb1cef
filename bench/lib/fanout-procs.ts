// Process plumbing for the fan-out and footprint benchmarks: fresh workers between cold runs, and CPU
// of whole process trees (a tool and everything it forked; Postgres and its backends).
import { readdirSync, readFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { sleep, spawnNode, stopProc, WORKER_MAIN, type Pvefleet, type Services } from './harness';

const CLK_TCK = 100;

/**
 * Replaces every worker with a fresh process (no kept SSH connections, cold JIT), with `env` added,
 * and waits until it consumes the queue.
 */
export async function restartWorkers(p: Pvefleet, env: Record<string, string> = {}): Promise<void> {
  const count = p.workers.length;
  await Promise.all(p.workers.map((w) => stopProc(w.child)));
  p.workers.splice(0, count, ...Array.from({ length: count }, () => spawnNode(WORKER_MAIN, { ...p.env, ...env })));
  const deadline = Date.now() + 60_000;
  for (const w of p.workers) {
    while (!w.output.join('').includes('consuming ')) {
      if (w.child.exitCode !== null) throw new Error(`a worker exited:\n${w.output.join('')}`);
      if (Date.now() > deadline) throw new Error('a restarted worker did not start consuming within 60 s');
      await sleep(50);
    }
  }
  await sleep(300); // its BullMQ blocking read is in place before anything is timed
}

function statFields(pid: number | string): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** CPU seconds of this process's children that have exited and been waited for (getrusage RUSAGE_CHILDREN). */
export function childrenCpuSeconds(): number {
  const f = statFields('self');
  return (Number(f[13]) + Number(f[14])) / CLK_TCK;
}

/** pid → parent pid and CPU (own + exited children's) of every live process. */
function processTable(): Map<number, { ppid: number; cpu: number; cmdline: () => string }> {
  const table = new Map<number, { ppid: number; cpu: number; cmdline: () => string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const f = statFields(entry);
      table.set(Number(entry), {
        ppid: Number(f[1]),
        cpu: (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / CLK_TCK,
        cmdline: () => {
          try {
            return readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
          } catch {
            return '';
          }
        },
      });
    } catch {
      /* exited meanwhile */
    }
  }
  return table;
}

/**
 * CPU seconds of a live process and all its live descendants, including what their exited children
 * used (a Postgres postmaster and its backends, past and present).
 */
export function treeCpuSeconds(rootPid: number | undefined): number {
  if (!rootPid) return 0;
  const table = processTable();
  let total = 0;
  const walk = [rootPid];
  for (let pid = walk.pop(); pid !== undefined; pid = walk.pop()) {
    total += table.get(pid)?.cpu ?? 0;
    for (const [child, s] of table) if (s.ppid === pid) walk.push(child);
  }
  return total;
}

/** Live processes whose command line contains `marker` (e.g. OpenSSH ControlPersist masters of one control dir). */
export function processesMatching(marker: string): { pid: number; cpu: number }[] {
  const found: { pid: number; cpu: number }[] = [];
  for (const [pid, s] of processTable()) if (pid !== process.pid && s.cmdline().includes(marker)) found.push({ pid, cpu: s.cpu });
  return found;
}

/** The Postgres postmaster's and redis-server's pids, to count the services' CPU beside pvefleet's. */
export async function servicePids(services: Services): Promise<{ postgres?: number; redis?: number }> {
  const { rows } = await services.pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const postgres = Number(statFields(rows[0].pid)[1]);
  const info = await redisInfo(services.redisUrl, 'server');
  const redis = Number(/process_id:(\d+)/.exec(info)?.[1]) || undefined;
  return { postgres, redis };
}

/** Redis commands served so far, by command (`INFO commandstats`): round trips, pipelined or not. */
export async function redisCommandCalls(url: string): Promise<Map<string, number>> {
  const calls = new Map<string, number>();
  for (const m of (await redisInfo(url, 'commandstats')).matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(m[1], Number(m[2]));
  return calls;
}

/** Transactions committed or rolled back in this database so far (each autocommit statement is one). */
export async function postgresTransactions(services: Services): Promise<number> {
  const { rows } = await services.pool.query<{ n: string }>(
    `SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()`,
  );
  return Number(rows[0].n);
}

/** `INFO <section>` over a plain socket (a client library would be one more thing to configure). */
function redisInfo(url: string, section: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    let reply = '';
    const sock = netConnect({ host: hostname, port: Number(port || 6379) }, () => sock.write(`INFO ${section}\r\n`));
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error('redis INFO: no answer'));
    }, 5_000);
    sock.on('data', (b: Buffer) => {
      reply += b.toString();
      const m = /^\$(\d+)\r\n/.exec(reply);
      if (m && Buffer.byteLength(reply) >= m[0].length + Number(m[1])) {
        clearTimeout(timer);
        sock.end();
        resolve(reply);
      }
    });
    sock.once('error', reject);
  });
}
