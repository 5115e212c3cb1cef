import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Options } from 'pino-http';

const GIVEN_ID = /^[\w.:-]{1,128}$/;

/** A caller's X-Request-Id when it looks like one (a proxy's), else a fresh one; echoed in the response. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && GIVEN_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * pino-http's part: one line per finished request (not health checks, which load balancers send
 * every few seconds) with method, path, status and time; every line logged while serving it carries
 * `reqId`. Headers are never logged (the bearer token is in one).
 */
export function httpLoggingOptions(): Options {
  return {
    genReqId: requestId,
    quietReqLogger: true,
    autoLogging: { ignore: (req) => (req.url ?? '').endsWith('/health') },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    customSuccessMessage: (req, res, ms) => `${req.method ?? ''} ${pathOf(req)} ${res.statusCode} in ${Math.round(ms)} ms`,
    customErrorMessage: (req, res, err) => `${req.method ?? ''} ${pathOf(req)} ${res.statusCode}: ${err.message}`,
    serializers: {
      req: (req: { method?: string; url?: string }) => ({ method: req.method, url: withoutQuery(req.url ?? '') }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

/** The path without its query string (a query may carry a search text, never worth a log line). */
function pathOf(req: IncomingMessage): string {
  return withoutQuery(req.url ?? '');
}

function withoutQuery(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}
