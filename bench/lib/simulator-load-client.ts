/**
 * The load client for bench/simulator.ts, run in a worker thread so the
 * client's crypto does not share an event loop with the simulator.
 * Source is returned as plain JavaScript for `new Worker(src, { eval: true })`.
 */
export const LOAD_CLIENT_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const net = require('node:net');
const { Client } = require(workerData.ssh2Path);
const { targets, mode, concurrency, durationMs, command, password, user } = workerData;

function connect(t) {
  return new Promise((resolve, reject) => {
    const c = new Client();
    c.once('ready', () => resolve(c)).once('error', reject);
    c.connect({ sock: net.connect({ host: t.host, port: t.port, noDelay: true }), username: user, password, readyTimeout: 20000 });
  });
}
function exec(c) {
  return new Promise((resolve, reject) => {
    c.exec(command, (err, s) => {
      if (err) return reject(err);
      let out = '';
      let code = null;
      s.on('data', (d) => (out += d));
      s.stderr.on('data', () => undefined);
      s.on('exit', (x) => (code = x));
      s.on('close', () => (code === 0 && out.length ? resolve() : reject(new Error('exit ' + code))));
    });
  });
}

(async () => {
  const deadline = Date.now() + durationMs;
  let done = 0;
  let errors = 0;
  let next = 0;
  const pick = () => targets[next++ % targets.length];
  if (mode === 'kept') {
    const clients = await Promise.all(targets.map(connect));
    let i = 0;
    const warm = await Promise.all(clients.map(exec));
    void warm;
    const started = Date.now();
    const end = started + durationMs;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const c = clients[i++ % clients.length];
        try { await exec(c); done++; } catch { errors++; }
      }
    }));
    const elapsed = Date.now() - started;
    clients.forEach((c) => c.end());
    parentPort.postMessage({ done, errors, elapsed });
  } else {
    const started = Date.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        const t = pick();
        try { const c = await connect(t); await exec(c); c.end(); done++; } catch { errors++; }
      }
    }));
    parentPort.postMessage({ done, errors, elapsed: Date.now() - started });
  }
})().catch((e) => parentPort.postMessage({ error: String(e && e.stack || e) }));
`;
