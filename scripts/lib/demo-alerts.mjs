// The demo's alert part: a local webhook receiver (scripts/demo-webhook-receiver.mjs) as an alert
// channel, a test send, and the certificate alert for the node whose certificate the demo aged.
import { createInterface } from 'node:readline';

const CHANNEL = 'demo-receiver';

/**
 * `launch(name, args, env)` starts a process of the demo (stopped with it); `api(method, path, body)`
 * calls the API; `secret` signs the webhook. Returns the lines to try next.
 */
export async function alertsDemo({ api, launch, say, base, auth, logs, secret, node }) {
  const receiver = launch('webhook-receiver', ['scripts/demo-webhook-receiver.mjs', '0'], { PVEFLEET_WEBHOOK_SECRET: secret });
  const received = [];
  const lines = createInterface({ input: receiver.child.stdout });
  const port = await new Promise((resolve) => {
    lines.on('line', (line) => {
      receiver.out.write(`${line}\n`);
      const msg = JSON.parse(line);
      if (msg.listening !== undefined) resolve(msg.listening);
      else received.push(msg);
    });
  });

  // The channel by name: created on the first run, pointed at this run's receiver afterwards.
  const body = { name: CHANNEL, type: 'webhook', url: `http://127.0.0.1:${port}/pvefleet`, secret };
  const existing = ((await api('GET', '/alert-channels?limit=1000')).body.data ?? []).find((c) => c.name === CHANNEL);
  const saved = existing ? await api('PUT', `/alert-channels/${existing.id}`, body) : await api('POST', '/alert-channels', body);
  if (saved.status >= 300) throw new Error(`the demo's alert channel: ${JSON.stringify(saved.body)}`);
  const id = saved.body.id;
  const test = (await api('POST', `/alert-channels/${id}/test`)).body;

  // The aged certificate (10 days left, under the default 14) alerts once per node per day.
  say('');
  say(`alerts: webhook channel ${id} → a local receiver on 127.0.0.1:${port} (test send: ${test.delivered ? 'delivered' : test.error})`);
  const alert = await waitFor(() => received.find((m) => m.event === 'alert' && m.alert?.node === node), 20_000);
  if (alert) say(`  received, signature ${alert.verified ? 'verified' : 'NOT verified'}: ${alert.alert.title}\n    ${alert.alert.text}`);
  else say(`  no new alert for ${node} within 20 s (raised once per node per day: already sent today?); GET /alerts lists them`);
  return [
    `Alerts: what was raised and delivered, a channel's delivery log, the rules, and the receiver's log:`,
    `  curl -s ${base}/api/v1/alerts -H '${auth}'`,
    `  curl -s ${base}/api/v1/alert-channels/${id}/deliveries -H '${auth}'`,
    `  curl -s ${base}/api/v1/alert-rules -H '${auth}'`,
    `  tail -f ${logs}/webhook-receiver.log`,
  ];
}

async function waitFor(find, timeoutMs) {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    const v = find();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  return undefined;
}
