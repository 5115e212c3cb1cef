import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { Simulator } from '../simulator';
import { NotFoundError } from './operations';
import { routes } from './routes';

export interface ControlServer {
  url: string;
  close(): Promise<void>;
}

/** The HTTP control API (on the nodes' listen address, loopback by default): JSON in, JSON out. */
export async function startControlServer(sim: Simulator, port: number, host = '127.0.0.1'): Promise<ControlServer> {
  const table = routes(sim);
  const server = createServer((req, res) => void handle(req, res, table, sim.options.log));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      resolve();
    });
  });
  const addr = server.address();
  const actual = addr && typeof addr === 'object' ? addr.port : port;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actual}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

export type Handler = (params: Record<string, string>, body: Record<string, unknown>) => unknown;
export interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

async function handle(req: IncomingMessage, res: ServerResponse, table: Route[], log: (line: string) => void): Promise<void> {
  let raw = '';
  const send = (status: number, value: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value ?? { ok: true }) + '\n');
    // Reads change nothing; every other request (a fault, power, a file) is what a log reader looks for.
    if (req.method !== 'GET') log(controlLine(req, raw, status, value));
  };
  try {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = table.find((r) => r.method === req.method && r.pattern.test(url.pathname));
    const match = route?.pattern.exec(url.pathname);
    if (!route || !match) {
      send(404, { error: `no route for ${req.method} ${url.pathname}` });
      return;
    }
    const params = Object.fromEntries(route.keys.map((k, i) => [k, decodeURIComponent(match[i + 1])]));
    for (const [k, v] of url.searchParams) params[k] ??= v;
    let body: Record<string, unknown> = {};
    raw = await readBody(req);
    if (raw.trim()) body = JSON.parse(raw) as Record<string, unknown>;
    send(200, await route.handler(params, body));
  } catch (err) {
    send(err instanceof NotFoundError ? 404 : 400, { error: (err as Error).message });
  }
}

/** `control: POST /nodes/pve2/faults {"match":…} -> 200`; a long body (a file's content) is cut. */
function controlLine(req: IncomingMessage, raw: string, status: number, answer: unknown): string {
  const body = raw.trim().length > 200 ? `${raw.trim().slice(0, 200)}…` : raw.trim();
  const error = status >= 400 ? ` ${JSON.stringify(answer)}` : '';
  return ['control:', req.method, req.url, body, '->', `${status}${error}`].filter(Boolean).join(' ');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      data += c;
    });
    req.on('end', () => {
      resolve(data);
    });
    req.on('error', reject);
  });
}
