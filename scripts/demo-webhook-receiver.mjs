#!/usr/bin/env node
// A tiny webhook receiver for the demo: listens on 127.0.0.1:<port> (argv[2], 0 for any), checks each
// delivery's signature with the secret in PVEFLEET_WEBHOOK_SECRET (README "Alerts": how to verify),
// and prints one JSON line per alert. Its first line is {"listening":<port>}.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const secret = process.env.PVEFLEET_WEBHOOK_SECRET ?? '';
/** A delivery signed longer ago than this is refused (a replay). */
const MAX_AGE_S = 300;

function verified(timestamp, body, signature) {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`);
  const given = Buffer.from(String(signature ?? ''));
  const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) <= MAX_AGE_S;
  return fresh && given.length === expected.length && timingSafeEqual(given, expected);
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const ok = verified(req.headers['x-pvefleet-timestamp'], body, req.headers['x-pvefleet-signature']);
    let alert = null;
    try {
      alert = JSON.parse(body);
    } catch {
      // Not JSON: logged as not verified below, answered 400.
    }
    process.stdout.write(`${JSON.stringify({ at: new Date().toISOString(), verified: ok, ...(alert ?? { body }) })}\n`);
    res.writeHead(ok && alert ? 200 : 400).end();
  });
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ listening: server.address().port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.on('SIGINT', () => server.close(() => process.exit(0)));
