import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase, freePort } from '../../scripts/lib/services.mjs';
import { eventually } from '../support/tasks';

const READY = 'Ctrl-C stops everything the demo started.';

interface DemoRun {
  child: ChildProcess;
  stdout: string;
  exited: boolean;
}

/** `node scripts/demo.mjs` as a user runs it (after `npm run build`), against the run's Postgres and Redis. */
function startDemo(env: Record<string, string>): DemoRun {
  const child = spawn(process.execPath, ['scripts/demo.mjs'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const run: DemoRun = { child, stdout: '', exited: false };
  child.stdout.on('data', (b: Buffer) => (run.stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (run.stdout += b.toString()));
  child.once('exit', () => (run.exited = true));
  return run;
}

async function ready(run: DemoRun): Promise<string> {
  await eventually(
    () => {
      if (run.exited) throw new Error(`the demo exited:\n${run.stdout}`);
      return Promise.resolve(run.stdout.includes(READY) ? true : undefined);
    },
    90_000,
    'the demo to print its summary',
  );
  return run.stdout;
}

async function stop(run: DemoRun): Promise<void> {
  if (run.exited) return;
  const exited = new Promise((r) => run.child.once('exit', r));
  run.child.kill('SIGINT');
  await exited;
}

/** The printed line that starts with `prefix` (after its indentation), run by a shell exactly as printed. */
function runPrinted(stdout: string, prefix: string): string {
  const line = stdout
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.startsWith(prefix));
  if (!line) throw new Error(`no printed line starts with ${prefix}:\n${stdout}`);
  return execFileSync('sh', ['-c', line], { encoding: 'utf8' });
}

describe('npm run demo', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pvefleet-demo-'));
  const dbName = `pvefleet_demo_${process.pid}`;
  const env: Record<string, string> = { PVEFLEET_DEMO_DIR: dir, PVEFLEET_REDIS_PREFIX: `pvefleet-demo-${process.pid}` };
  let first: DemoRun | undefined;
  let second: DemoRun | undefined;

  beforeAll(async () => {
    env.DATABASE_URL = await createDatabase(inject('databaseUrl'), dbName);
    env.REDIS_URL = inject('redisUrl');
    env.PORT = String(await freePort());
  });

  afterAll(async () => {
    for (const run of [first, second]) if (run) await stop(run);
    await dropDatabase(inject('databaseUrl'), dbName).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints the simulator's control URL and a fault example that works as printed; the simulator logs it", async () => {
    first = startDemo(env);
    const out = await ready(first);
    const control = /^\s+simulator\s+(http:\/\/127\.0\.0\.1:\d+)/m.exec(out)?.[1];
    expect(control, out).toBeDefined();
    const nodes = (await (await fetch(`${control}/nodes`)).json()) as { name: string }[];
    const faulty = nodes[1].name;
    // The renewal schedule with its next run, and the report with the certificate the simulator aged to 10 days first.
    expect(out).toMatch(
      /^certificate renewal: schedule \d+ 'certificate-renewal' \(30 3 \* \* \* UTC, spread 120 min, next run \d{4}-\d\d-\d\dT03:30:00\.000Z\)$/m,
    );
    expect(out).toMatch(new RegExp(`^certificates, fewest days left first:\n  ${nodes[2].name}\\s+(9|10) days  until `, 'm'));

    const fault = JSON.parse(runPrinted(out, `curl -s -XPOST ${control}/nodes/${faulty}/faults`)) as Record<string, unknown>;
    expect(Object.keys(fault)).toEqual(['id']);
    expect(fault.id).toBeTypeOf('string');
    // The printed line starts the task and follows its live log, which ends when the task stops.
    const followed = runPrinted(out, `UPID=$(curl -s -XPOST http://127.0.0.1:${env.PORT}/api/v1/nodes/${faulty}/tasks`);
    expect(followed).toContain('E: Could not get lock /var/lib/apt/lists/lock');
    expect(followed).toContain(`"t":"TASK ERROR: command 'apt-get update' failed: exit code 100"`);
    expect(JSON.parse(runPrinted(out, `curl -s -XDELETE ${control}/nodes/${faulty}/faults`))).toEqual({ ok: true });

    const log = readFileSync(join(dir, 'logs', 'simulator.log'), 'utf8');
    expect(log).toContain(`control API on ${control}`);
    expect(log).toMatch(new RegExp(`${faulty} \\(pvelab\\) listening on 127\\.0\\.0\\.1:\\d+`));
    expect(log).toContain(`control: POST /nodes/${faulty}/faults {"match":"apt-get update"`);
  });

  it('runs again over the same state and says that the simulated fleet was reset, naming the upgraded node', async () => {
    const api = async (method: string, path: string, body?: object) => {
      const token = readFileSync(join(dir, 'admin-token'), 'utf8').trim();
      const headers = { Authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const res = await fetch(`http://127.0.0.1:${env.PORT}/api/v1${path}`, { method, headers, body: body && JSON.stringify(body) });
      return (await res.json()) as Record<string, unknown>;
    };
    const { upid } = (await api('POST', '/nodes/pve1/tasks', { type: 'aptupgrade', params: { reboot: 'never' } })) as { upid: string };
    const upgrade = await eventually(
      async () => {
        const t = await api('GET', `/tasks/${encodeURIComponent(upid)}`);
        return t.status === 'stopped' ? t : undefined;
      },
      30_000,
      'the upgrade of pve1 to stop',
    );
    expect(upgrade.exitstatus).toMatch(/^(OK|WARNINGS: \d+)$/); // reboot: never leaves a reboot pending, a warning
    const upgraded = ((await api('GET', '/nodes/pve1')).facts as { pveManagerVersion: string }).pveManagerVersion;
    await stop(first!);

    second = startDemo(env);
    const out = await ready(second);
    expect(out).toContain('The simulated fleet was reset');
    const seeded = /^\s+pve1\s+(\S+)\s+kernel/m.exec(out)?.[1];
    expect(seeded).not.toBe(upgraded);
    expect(out).toMatch(
      new RegExp(`^  pve1\\s+was ${upgraded.replace(/\./g, '\\.')} kernel \\S+, now ${seeded!.replace(/\./g, '\\.')} kernel`, 'm'),
    );
    await stop(second);
    expect(second.child.exitCode).toBe(0);
  });
});
