import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '@pvefleet/alerts';
import type { AlertView } from '@pvefleet/contracts';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { apiClient, errorFields } from '../support/api-client';
import { TestFleet } from '../support/fleet';
import { Stack } from '../support/stack';
import { eventually, startTask, waitForStatus } from '../support/tasks';

const WEBHOOK_SECRET = 'whsec-e2e-7f3a9c1d5b2e8f4a6c0d';
const SMTP_PASSWORD = 'smtp-e2e-password-9b8a7c6d';
const DAY_MS = 86_400_000;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

interface WebhookAlert {
  event: string;
  alert: { id: number; rule: string; node: string; taskUpid: string | null; title: string; text: string };
}

/**
 * A webhook receiver on loopback: records every request; answers 500 to the first delivery of each
 * renewal alert (so the retry is seen), 200 otherwise.
 */
async function startReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const failedOnce = new Set<number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const payload = JSON.parse(body) as WebhookAlert;
      const first = payload.alert.rule === 'renewal-failed' && !failedOnce.has(payload.alert.id);
      if (first) failedOnce.add(payload.alert.id);
      const status = first ? 500 : 200;
      received.push({ headers: req.headers, body, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/pvefleet`, received };
}

interface Mail {
  from: string;
  to: string[];
  user: string | undefined;
  data: string;
}

/** A local SMTP server (no TLS, a login required) that keeps what it receives. */
async function startSmtp(): Promise<{ server: SMTPServer; port: number; mails: Mail[] }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, cb) {
      if (auth.username === 'alerts' && auth.password === SMTP_PASSWORD) cb(null, { user: 'alerts' });
      else cb(new Error('invalid login'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
          data: Buffer.concat(chunks).toString('utf8'),
        });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.server.address() as AddressInfo).port, mails };
}

/**
 * Alerts end to end: channels through the API with their secrets sealed and never shown, a failing
 * ACME order that reaches a signed webhook (500 first, the retry seen) and an email, and the
 * certificate rule once per node per day as the stack's clock moves.
 */
describe('alerts', () => {
  let stack: Stack;
  let fleet: TestFleet;
  let nodes: string[];
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let db: pg.Client;
  let webhookId: number;
  let emailId: number;
  /** Every answer body of the alert endpoints, to look for the secrets in at the end. */
  const answers: string[] = [];
  const api = () => apiClient(stack);
  const keep = <T>(r: { data?: T; error?: unknown }): T => {
    answers.push(JSON.stringify(r.data ?? r.error));
    if (r.data === undefined) throw new Error(`no data: ${JSON.stringify(r.error)}`);
    return r.data;
  };

  /** What to undo, in reverse order (the run's database is shared by every test file: no channel is left behind, the rules as they were). */
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    [stack, fleet, receiver, smtp] = await Promise.all([Stack.start(), TestFleet.start({ nodes: 2 }), startReceiver(), startSmtp()]);
    cleanups.push(
      () => stack.stop(),
      () => fleet.stop(),
      () => new Promise((r) => receiver.server.close(r)),
      () =>
        new Promise<void>((r) => {
          smtp.server.close(() => {
            r();
          });
        }),
    );
    nodes = await fleet.register(stack);
    db = new pg.Client({ connectionString: inject('databaseUrl') });
    await db.connect();
    cleanups.push(
      () => db.end(),
      () => db.query(`UPDATE alert_rule SET enabled = true, channel_ids = '{}'`),
    );
  });
  afterAll(async () => {
    for (const undo of cleanups.reverse()) await undo();
  });

  async function setRule(
    rule: 'renewal-failed' | 'certificate-expiring' | 'scheduled-task-failed' | 'rollout-halted' | 'node-unreachable',
    body: object,
  ) {
    return keep(await api().PUT('/api/v1/alert-rules/{rule}', { params: { path: { rule } }, body: body as never }));
  }

  async function alertsOf(rule: string, node: string): Promise<AlertView[]> {
    return keep(await api().GET('/api/v1/alerts', { params: { query: { rule: rule as never, node, limit: 100 } } })).data;
  }

  it('channels: created, listed, replaced and tested; secrets sealed at rest and never shown; bad input named', async () => {
    const webhook = keep(
      await api().POST('/api/v1/alert-channels', {
        body: { name: `hook-${nodes[0]}`, type: 'webhook', url: receiver.url, secret: WEBHOOK_SECRET },
      }),
    );
    webhookId = webhook.id;
    cleanups.push(() => api().DELETE('/api/v1/alert-channels/{id}', { params: { path: { id: webhook.id } } }));
    expect(webhook).toMatchObject({ type: 'webhook', url: receiver.url, hasSecret: true, enabled: true });
    const email = keep(
      await api().POST('/api/v1/alert-channels', {
        body: {
          name: `mail-${nodes[0]}`,
          type: 'email',
          host: '127.0.0.1',
          port: smtp.port,
          security: 'none',
          user: 'alerts',
          password: SMTP_PASSWORD,
          from: 'pvefleet@example.test',
          to: ['ops@example.test', 'oncall@example.test'],
        },
      }),
    );
    emailId = email.id;
    cleanups.push(() => api().DELETE('/api/v1/alert-channels/{id}', { params: { path: { id: email.id } } }));
    expect(email).toMatchObject({ type: 'email', port: smtp.port, user: 'alerts', hasSecret: true });

    // At rest: sealed (AES-256-GCM), never the plaintext.
    const rows = await db.query<{ secret: string }>('SELECT secret FROM alert_channel WHERE id = ANY($1)', [[webhookId, emailId]]);
    for (const r of rows.rows) {
      expect(r.secret).toMatch(/^v1\./);
      expect(r.secret).not.toContain(WEBHOOK_SECRET);
      expect(r.secret).not.toContain(SMTP_PASSWORD);
    }

    // Replaced without its secret: the stored one stays (the test sends below still sign and log in).
    const replaced = keep(
      await api().PUT('/api/v1/alert-channels/{id}', {
        params: { path: { id: webhookId } },
        body: { name: `hook-${nodes[0]}`, type: 'webhook', url: receiver.url },
      }),
    );
    expect(replaced.hasSecret).toBe(true);
    keep(await api().GET('/api/v1/alert-channels/{id}', { params: { path: { id: emailId } } }));
    const list = keep(await api().GET('/api/v1/alert-channels', { params: { query: { limit: 1000 } } }));
    expect(list.data.map((c) => c.id)).toEqual(expect.arrayContaining([webhookId, emailId]));

    const before = receiver.received.length;
    const hookTest = keep(await api().POST('/api/v1/alert-channels/{id}/test', { params: { path: { id: webhookId } } }));
    expect(hookTest).toEqual({ delivered: true, httpStatus: 200, error: null, errorClass: null });
    const sent = receiver.received[before];
    expect(JSON.parse(sent.body)).toMatchObject({ event: 'test' });
    expect(
      verifyWebhook(WEBHOOK_SECRET, String(sent.headers['x-pvefleet-timestamp']), sent.body, String(sent.headers['x-pvefleet-signature'])),
    ).toBe(true);
    const mailTest = keep(await api().POST('/api/v1/alert-channels/{id}/test', { params: { path: { id: emailId } } }));
    expect(mailTest).toEqual({ delivered: true, httpStatus: null, error: null, errorClass: null });
    expect(smtp.mails.at(-1)).toMatchObject({ user: 'alerts', to: ['ops@example.test', 'oncall@example.test'] });

    // A wrong password is an `auth` failure, reported, not thrown.
    const wrong = keep(
      await api().POST('/api/v1/alert-channels', {
        body: {
          name: `badmail-${nodes[0]}`,
          type: 'email',
          host: '127.0.0.1',
          port: smtp.port,
          security: 'none',
          user: 'alerts',
          password: 'wrong-password',
          from: 'a@example.test',
          to: ['b@example.test'],
        },
      }),
    );
    const refused = keep(await api().POST('/api/v1/alert-channels/{id}/test', { params: { path: { id: wrong.id } } }));
    expect(refused).toMatchObject({ delivered: false, errorClass: 'auth' });
    expect(refused.error).not.toContain('wrong-password');
    await api().DELETE('/api/v1/alert-channels/{id}', { params: { path: { id: wrong.id } } });

    // Bad input: 400 naming the field.
    const badUrl = await stack.http.post('/alert-channels', {
      name: 'x',
      type: 'webhook',
      url: 'ftp://example.test/',
      secret: WEBHOOK_SECRET,
    });
    expect(badUrl.status).toBe(400);
    expect(errorFields(badUrl)).toEqual(['url']);
    const shortSecret = await stack.http.post('/alert-channels', { name: 'x', type: 'webhook', url: receiver.url, secret: 'short' });
    expect(errorFields(shortSecret)).toEqual(['secret']);
    const badTo = await stack.http.post('/alert-channels', {
      name: 'y',
      type: 'email',
      host: '127.0.0.1',
      from: 'a@example.test',
      to: ['b@example.test', 'not-an-address'],
    });
    expect(errorFields(badTo)).toEqual(['to.1']);
    const ruleFields = async (rule: 'renewal-failed' | 'certificate-expiring', body: object) => {
      const r = await api().PUT('/api/v1/alert-rules/{rule}', { params: { path: { rule } }, body: body as never });
      expect(r.response.status).toBe(400);
      return (r.error?.errors ?? []).map((e) => e.field);
    };
    expect(await ruleFields('renewal-failed', { enabled: true, channels: [2_000_000_000] })).toEqual(['channels.0']);
    expect(await ruleFields('certificate-expiring', { enabled: true, threshold: null, channels: [] })).toEqual(['threshold']);
    expect(await ruleFields('renewal-failed', { enabled: true, threshold: 3, channels: [] })).toEqual(['threshold']);
  });

  it('a failing ACME order: a signed webhook (500, then the retry delivers) and an email, naming the node and the task', async () => {
    // Only this test's channels, and only the rules under test (the run's database holds other files' nodes).
    await setRule('renewal-failed', { enabled: true, channels: [webhookId, emailId] });
    for (const rule of ['scheduled-task-failed', 'rollout-halted', 'node-unreachable'] as const)
      await setRule(rule, { enabled: false, threshold: rule === 'node-unreachable' ? 30 : null, channels: [webhookId] });
    await setRule('certificate-expiring', { enabled: false, threshold: 14, channels: [webhookId] });

    const node = nodes[0];
    fleet.sim.failAcme(node);
    const task = await waitForStatus(stack, await startTask(stack, node, 'acmerenew', { force: true }));
    expect(task.exitstatus).toMatch(/^ACME certificate renew failed/);

    const alert = await eventually(
      async () => {
        const a = (await alertsOf('renewal-failed', node)).at(0);
        return a?.deliveries.length === 2 && a.deliveries.every((d) => d.status === 'delivered') ? a : undefined;
      },
      40_000,
      'the renewal alert delivered to both channels',
    );
    expect(alert).toMatchObject({ node, taskUpid: task.upid, title: `${node}: certificate renewal failed` });
    expect(alert.text).toContain(task.upid);
    expect(alert.text).toContain('Next: ');
    const hook = alert.deliveries.find((d) => d.channelId === webhookId)!;
    // The first try got a 500; the retry, after the backoff, delivered.
    expect(hook).toMatchObject({ attempts: 2, httpStatus: 200, lastError: null, status: 'delivered' });
    const mine = receiver.received.filter((r) => (JSON.parse(r.body) as WebhookAlert).alert.id === alert.id);
    expect(mine.map((r) => r.status)).toEqual([500, 200]);
    for (const r of mine) {
      expect(r.headers['content-type']).toBe('application/json');
      expect(
        verifyWebhook(WEBHOOK_SECRET, String(r.headers['x-pvefleet-timestamp']), r.body, String(r.headers['x-pvefleet-signature'])),
      ).toBe(true);
      expect(JSON.parse(r.body)).toMatchObject({ event: 'alert', alert: { rule: 'renewal-failed', node, taskUpid: task.upid } });
    }
    expect(alert.deliveries.find((d) => d.channelId === emailId)).toMatchObject({ attempts: 1, status: 'delivered' });
    // The text as sent (quoted-printable: long lines are folded with a trailing '=').
    const mail = smtp.mails.map((m) => ({ ...m, text: m.data.replace(/=\r\n/g, '') })).find((m) => m.text.includes(task.upid));
    expect(mail?.text).toContain(`Subject: [pvefleet] ${node}: certificate renewal failed`);
    expect(mail?.text).toContain('Rule: renewal-failed');
    expect(mail?.to).toEqual(['ops@example.test', 'oncall@example.test']);
    expect(mail?.user).toBe('alerts');

    const log = keep(
      await api().GET('/api/v1/alert-channels/{id}/deliveries', { params: { path: { id: webhookId }, query: { status: 'delivered' } } }),
    );
    expect(log.data.find((d) => d.alertId === alert.id)).toMatchObject({ attempts: 2, httpStatus: 200 });
  });

  it('certificate rule: once per node per Clock day, again when the clock moves a day', async () => {
    await setRule('renewal-failed', { enabled: false, channels: [] });
    await setRule('certificate-expiring', { enabled: true, threshold: 14, channels: [webhookId] });
    const node = nodes[1];
    const cert = fleet.sim.state(node).certificates.pveproxy;
    if (!cert) throw new Error(`${node} has no pveproxy certificate`);
    fleet.sim.ageCertificate(node, cert.daysLeft - 10); // 10 days left
    expect((await waitForStatus(stack, await startTask(stack, node, 'facts'))).exitstatus).toBe('OK');

    const [first] = await eventually(
      async () => {
        const a = await alertsOf('certificate-expiring', node);
        return a.length ? a : undefined;
      },
      20_000,
      'the certificate alert',
    );
    expect(first.title).toMatch(/expires in (9|10) days$/);
    expect(first.dedupeKey).toBe(`certificate-expiring:${node}:${stack.now().toISOString().slice(0, 10)}`);

    // New facts the same day: still the one alert of the day.
    expect((await waitForStatus(stack, await startTask(stack, node, 'facts'))).exitstatus).toBe('OK');
    // A day later by the clock: one more, and only one.
    await stack.advanceClock(DAY_MS);
    const both = await eventually(
      async () => {
        const a = await alertsOf('certificate-expiring', node);
        return a.length >= 2 ? a : undefined;
      },
      20_000,
      "the next day's certificate alert",
    );
    expect(both).toHaveLength(2);
    expect(both[0].dedupeKey).toBe(`certificate-expiring:${node}:${stack.now().toISOString().slice(0, 10)}`);
    expect(both[0].dedupeKey).not.toBe(first.dedupeKey);
    await eventually(
      () =>
        Promise.resolve(
          receiver.received.filter(
            (r) =>
              (JSON.parse(r.body) as WebhookAlert).alert.node === node &&
              (JSON.parse(r.body) as WebhookAlert).alert.rule === 'certificate-expiring',
          ).length === 2 || undefined,
        ),
      20_000,
      'both certificate alerts at the webhook',
    );
  });

  it("no answer and no log line ever holds a channel's secret", () => {
    const everything = [...answers, stack.output()].join('\n');
    expect(everything).not.toContain(WEBHOOK_SECRET);
    expect(everything).not.toContain(SMTP_PASSWORD);
    expect(answers.length).toBeGreaterThan(10);
  });
});
