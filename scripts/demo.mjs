#!/usr/bin/env node
// The demo: Postgres and Redis (private, unless DATABASE_URL / REDIS_URL are set), migrations, a
// simulated 5-node Proxmox VE cluster, the API and a worker; registers the nodes, runs `facts` on
// all of them, and prints what to try next. State lives in .pvefleet/demo (delete it to start over;
// PVEFLEET_DEMO_DIR moves it). The simulated nodes themselves start from their seed every run.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import ssh2 from 'ssh2';
import { deployMigrations } from './migrate.mjs';
import { ensureDatabase, freePort, startPostgres, startRedis } from './lib/services.mjs';
import { API_NODE_ARGS } from './lib/node-flags.mjs';
import { resetNotice } from './lib/fleet-reset.mjs';
import { certificateDemo } from './lib/demo-certificates.mjs';
import { alertsDemo } from './lib/demo-alerts.mjs';

const root = resolve(import.meta.dirname, '..');
const state = resolve(process.env.PVEFLEET_DEMO_DIR ?? join(root, '.pvefleet', 'demo'));
const logs = join(state, 'logs');
mkdirSync(logs, { recursive: true });

const children = [];
const services = [];
let stopping = false;

function say(line) {
  process.stdout.write(`${line}\n`);
}

/** A file of ours that survives restarts: the master key, the admin token, the simulator login key. */
function persistent(name, make) {
  const file = join(state, name);
  if (!existsSync(file)) writeFileSync(file, make(), { mode: 0o600 });
  return file;
}

function clientKey() {
  for (;;) {
    const k = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'pvefleet-demo' });
    if (!(ssh2.utils.parseKey(k.private) instanceof Error)) return k;
  }
}

function launch(name, args, env) {
  const out = createWriteStream(join(logs, `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.pipe(out);
  child.on('exit', (code, signal) => {
    // Ctrl-C in a terminal reaches the children too: that is a stop, not a crash (the API and the
    // worker exit 0 on SIGINT/SIGTERM, the simulator by the signal).
    if (code === 0 || signal === 'SIGINT' || signal === 'SIGTERM') return void shutdown(0);
    if (!stopping) {
      say(`\n${name} exited (${signal ?? code}); see ${join(logs, `${name}.log`)}`);
      void shutdown(1);
    }
  });
  children.push(child);
  return { child, out };
}

async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  say('\nstopping…');
  await Promise.all(
    children.map(
      (c) =>
        new Promise((r) => {
          if (c.exitCode !== null || c.signalCode !== null) return r();
          c.once('exit', r);
          c.kill('SIGTERM');
          setTimeout(() => c.kill('SIGKILL'), 10_000).unref();
        }),
    ),
  );
  for (const s of services.reverse()) await s.stop().catch(() => {});
  process.exit(code);
}

async function api(base, token, method, path, body) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function main() {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const pg = await startPostgres({ dir: join(state, 'postgres'), persistent: true });
    services.push(pg);
    databaseUrl = await ensureDatabase(pg.url, 'pvefleet');
  }
  let redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    const redis = await startRedis({ dir: join(state, 'redis') });
    services.push(redis);
    redisUrl = redis.url;
  }
  const applied = await deployMigrations(databaseUrl);
  say(`postgres ${databaseUrl}${applied.length ? ` (applied ${applied.length} migrations)` : ''}`);
  say(`redis    ${redisUrl}`);

  const masterKeyFile = persistent('master.key', () => randomBytes(32).toString('base64'));
  const token =
    process.env.PVEFLEET_ADMIN_TOKEN ??
    readFileSync(
      persistent('admin-token', () => `pvf_${randomBytes(24).toString('base64url')}`),
      'utf8',
    ).trim();
  const keyFile = persistent('id_ed25519', () => {
    const k = clientKey();
    writeFileSync(join(state, 'id_ed25519.pub'), `${k.public}\n`);
    return k.private;
  });

  // The simulated cluster: fixed seed, so host keys (and their pinned fingerprints) survive restarts.
  const sim = launch('simulator', [
    'dist/apps/simulator/apps/simulator/src/main.js',
    '--nodes',
    '5',
    '--base-port',
    '0',
    '--control-port',
    '0',
    '--no-password',
    '--authorized-keys',
    `${keyFile}.pub`,
    '--seed',
    'pvefleet-demo',
  ]);
  const inventory = await new Promise((resolveInventory, reject) => {
    const lines = createInterface({ input: sim.child.stdout });
    lines.once('line', (line) => resolveInventory(JSON.parse(line)));
    sim.child.once('exit', () => reject(new Error('the simulator did not start')));
  });
  sim.child.stdout.pipe(sim.out);

  const port = process.env.PORT ? Number(process.env.PORT) : (await portFree(3000)) ? 3000 : await freePort();
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    PVEFLEET_REDIS_PREFIX: process.env.PVEFLEET_REDIS_PREFIX ?? 'pvefleet-demo',
    PVEFLEET_ADMIN_TOKEN: token,
    PVEFLEET_MASTER_KEY_FILE: masterKeyFile,
    PORT: String(port),
    HOST: '127.0.0.1',
  };
  for (const [name, args] of [
    ['api', [...API_NODE_ARGS, 'dist/apps/api/apps/api/src/main.js']],
    ['worker', ['dist/apps/worker/apps/worker/src/main.js']],
  ]) {
    const p = launch(name, args, env);
    p.child.stdout.pipe(p.out);
  }
  const base = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 30_000; ;) {
    const ok = await fetch(`${base}/api/v1/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`the API did not come up; see ${join(logs, 'api.log')}`);
    await new Promise((r) => setTimeout(r, 200));
  }

  const privateKey = readFileSync(keyFile, 'utf8');
  /** Facts pvefleet held from an earlier run, by node: the simulator has just started them afresh. */
  const factsBefore = {};
  for (const n of inventory.nodes) {
    const known = await api(base, token, 'GET', `/nodes/${n.name}`);
    if (known.status === 200) factsBefore[n.name] = known.body.facts ?? null;
    const res =
      known.status === 404
        ? await api(base, token, 'POST', '/nodes', {
            name: n.name,
            host: n.host,
            port: n.port,
            sshUser: inventory.user,
            credential: { type: 'key', privateKey },
            hostKeyFingerprint: n.hostKeyFingerprint,
            labels: { cluster: n.cluster },
          })
        : await api(base, token, 'PATCH', `/nodes/${n.name}`, { host: n.host, port: n.port, hostKeyFingerprint: n.hostKeyFingerprint });
    if (res.status >= 300) throw new Error(`registering ${n.name}: ${JSON.stringify(res.body)}`);
  }

  const started = await Promise.all(inventory.nodes.map((n) => api(base, token, 'POST', `/nodes/${n.name}/tasks`, { type: 'facts' })));
  const upids = started.map((r) => r.body.upid);
  const done = [];
  for (const deadline = Date.now() + 60_000; done.length < upids.length && Date.now() < deadline;) {
    done.length = 0;
    for (const u of upids) {
      const t = (await api(base, token, 'GET', `/tasks/${encodeURIComponent(u)}`)).body;
      if (t.status === 'stopped') done.push(t);
    }
    if (done.length < upids.length) await new Promise((r) => setTimeout(r, 200));
  }
  say('');
  say('facts on the simulated cluster:');
  const factsNow = {};
  for (const n of inventory.nodes) {
    const node = (await api(base, token, 'GET', `/nodes/${n.name}`)).body;
    const f = (factsNow[n.name] = node.facts);
    say(
      `  ${n.name.padEnd(6)} ${String(f?.pveManagerVersion ?? '?').padEnd(8)} kernel ${String(f?.kernel ?? '?').padEnd(16)} ${n.host}:${n.port}`,
    );
  }
  const reset = resetNotice(factsBefore, factsNow);
  if (reset.length) say(['', ...reset].join('\n'));
  const first = inventory.nodes[0].name;
  const faulty = inventory.nodes[1]?.name ?? first;
  const control = inventory.controlUrl;
  const auth = `Authorization: Bearer ${token}`;
  await desiredStateDemo(base, token, inventory, control, faulty);
  const aged = inventory.nodes[2]?.name ?? first;
  const certificates = await certificateDemo({
    api: (method, path, body) => api(base, token, method, path, body),
    waitStopped: (upids) => waitStopped(base, token, upids),
    say,
    base,
    auth,
    control,
    node: aged,
  });
  // A local webhook receiver gets the aged certificate's alert.
  const alerts = await alertsDemo({
    api: (method, path, body) => api(base, token, method, path, body),
    launch,
    say,
    base,
    auth,
    logs,
    secret: readFileSync(persistent('webhook-secret', () => randomBytes(24).toString('base64url')), 'utf8').trim(),
    node: aged,
  });
  // Starts an aptupdate on the node and follows its log until the task stops (the stream then ends).
  const aptupdate = (node) =>
    `UPID=$(curl -s -XPOST ${base}/api/v1/nodes/${node}/tasks -H '${auth}' -H 'content-type: application/json' -d '{"type":"aptupdate"}' | sed 's/.*"upid":"\\([^"]*\\)".*/\\1/'); curl -sN "${base}/api/v1/tasks/$UPID/log/stream" -H '${auth}'`;
  say(`
pvefleet is running.
  API         ${base}/api/v1        (OpenAPI: ${base}/docs)
  admin token ${token}
  simulator   ${control}   (control API: faults, power, state; apps/simulator/README.md)
  logs        ${logs}

Try next:
  curl -s ${base}/api/v1/nodes -H '${auth}'
  ${aptupdate(first)}

Desired state: the fleet's drift, ${faulty}'s (with the fix's exact commands), and a reconcile's dry run:
  curl -s ${base}/api/v1/drift -H '${auth}'
  curl -s ${base}/api/v1/nodes/${faulty}/drift -H '${auth}'
  curl -s -XPOST ${base}/api/v1/reconcile -H '${auth}' -H 'content-type: application/json' -d '{"selector":{"nodes":["${faulty}"]},"dryRun":true}'

${certificates.join('\n')}

${alerts.join('\n')}

Inject a fault: ${faulty}'s next \`apt-get update\` fails as if apt were locked, so the aptupdate after it
ends in TASK ERROR (exit code 100); the last line undoes a fault not yet hit (simulator.log lists each):
  curl -s -XPOST ${control}/nodes/${faulty}/faults -d '{"match":"apt-get update","action":{"kind":"fail","exitCode":100,"stderr":"E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4242 (apt-get)\\n"},"times":1}'
  ${aptupdate(faulty)}
  curl -s -XDELETE ${control}/nodes/${faulty}/faults

Ctrl-C stops everything the demo started.`);
}

/** The demo cluster's desired state: what every node's drift will be judged against. */
const DEMO_PROFILE = 'demo-cluster';
const DEMO_NTP = ['ntp1.example.com', 'ntp2.example.com'];

/**
 * Desired state in five calls: a profile for the demo cluster (channel, NTP, the ACME renewal window:
 * domains stay each node's own), a reconcile that converges it, then one node changed behind
 * pvefleet's back by the simulator and its drift shown after its facts are read.
 */
async function desiredStateDemo(base, token, inventory, control, changed) {
  const cluster = inventory.nodes[0].cluster;
  const profile = {
    description: 'every node of the demo cluster',
    selector: { labels: { cluster } },
    priority: 0,
    fields: {
      repos: { value: { channel: 'no-subscription' } },
      ntp: { value: { servers: DEMO_NTP, keepDefaultPool: false } },
      acme: { value: { renewWithinDays: 30 } },
    },
  };
  let res = await api(base, token, 'POST', '/profiles', { name: DEMO_PROFILE, ...profile });
  if (res.status === 409) res = await api(base, token, 'PUT', `/profiles/${DEMO_PROFILE}`, profile);
  if (res.status >= 300) throw new Error(`declaring the profile: ${JSON.stringify(res.body)}`);
  const before = (await api(base, token, 'GET', '/drift')).body;
  const selector = { labels: { cluster } };
  const dry = (await api(base, token, 'POST', '/reconcile', { selector, dryRun: true })).body;
  const run = await api(base, token, 'POST', '/reconcile', { selector });
  if (run.status !== 202) throw new Error(`reconcile: ${JSON.stringify(run.body)}`);
  await waitStopped(base, token, run.body.tasks.map((t) => t.upid));

  // Someone edits chrony's sources by hand on one node (the simulator's control API), then facts are read.
  await fetch(`${control}/nodes/${changed}/file`, {
    method: 'PUT',
    body: JSON.stringify({ path: '/etc/chrony/sources.d/pvefleet.sources', content: 'server rogue.example.com iburst\n' }),
  });
  const refresh = await api(base, token, 'POST', `/nodes/${changed}/tasks`, { type: 'facts' });
  await waitStopped(base, token, [refresh.body.upid]);
  const after = (await api(base, token, 'GET', '/drift')).body;
  const ntp = (await api(base, token, 'GET', `/nodes/${changed}/drift`)).body.fields.find((f) => f.field === 'ntp');

  const line = (d) => d.fields.map((f) => `${f.field} ${f.compliant}/${f.drift}/${f.unknown}`).join(', ');
  say('');
  say(`desired state: profile '${DEMO_PROFILE}' (PVE channel no-subscription, NTP ${DEMO_NTP.join(', ')}, ACME window 30 days)`);
  say(`  drift before reconcile   (compliant/drift/unknown): ${line(before)}`);
  say(`  reconcile dry run: ${dry.tasks.length} tasks; reconcile ${run.body.reconcileId}: ${run.body.tasks.length} tasks, all stopped`);
  say(`  drift after reconcile and ${changed} changed by hand: ${line(after)}`);
  say(`  ${changed} ntp: ${ntp?.status} (${ntp?.reason ?? 'no reason'}); observed servers ${ntp?.observed?.servers?.join(', ') ?? '?'}`);
}

/** Waits until every task stopped (at most a minute). */
async function waitStopped(base, token, upids) {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
    const tasks = await Promise.all(upids.map((u) => api(base, token, 'GET', `/tasks/${encodeURIComponent(u)}`)));
    if (tasks.every((t) => t.body.status === 'stopped')) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`tasks did not stop within a minute: ${upids.join(' ')}`);
}

function portFree(port) {
  return fetch(`http://127.0.0.1:${port}/`).then(
    () => false,
    (err) => err?.cause?.code === 'ECONNREFUSED',
  );
}

main().catch(async (err) => {
  say(`demo: ${err.message}`);
  await shutdown(1);
});
