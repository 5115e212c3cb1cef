import type { NodeCertificateBody } from '@pvefleet/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, errorFields } from '../support/api-client';
import { TestFleet } from '../support/fleet';
import { Stack } from '../support/stack';
import { eventually, getTask, startFleetTasks, startTask, waitForStatus, type TaskJson } from '../support/tasks';

const T = { timeout: 240_000 };
const DAY_MS = 86_400_000;
const RENEWAL = 'certificate-renewal';

interface ScheduleJson {
  id: number;
  name: string;
  builtin: string | null;
  cron: string;
  timezone: string;
  spread: number;
  enabled: boolean;
  selector: Record<string, unknown>;
  action: Record<string, unknown>;
  nextRuns: { at: string; local: string }[];
  lastRuns: { id: number; fireAt: string; status: string; detail: Record<string, unknown> }[];
}
interface ScheduledTask extends TaskJson {
  held: boolean;
  startAfter: string | null;
}

/**
 * Fleet certificates end to end on a simulated cluster of five and the stack's clock file (never
 * waiting for the calendar): the report and its CSV, the built-in renewal schedule renewing exactly
 * the three certificates the simulator aged to 10 days (the report then shows the new expiry and the
 * change of fingerprint), and the served-certificate check failing a node whose pveproxy keeps the
 * old certificate.
 */
describe('certificates', () => {
  let stack: Stack;
  let fleet: TestFleet;
  let nodes: string[];
  let cluster: string;
  /** The three nodes whose certificates the simulator ages to 10 days, and the two it leaves at 60. */
  let aged: string[];
  let fresh: string[];
  /** Fingerprints as first read, and after ageing (the simulator rewrites the certificate). */
  const original = new Map<string, string>();
  let schedule: ScheduleJson | undefined;

  const proxyCert = (node: string) => fleet.sim.state(node).certificates.pveproxy!;
  const byCluster = () => `label=cluster=${cluster}`;

  async function report(query: string): Promise<{ total: number; data: NodeCertificateBody[] }> {
    const res = await stack.http.get(`/certificates?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { total: number; data: NodeCertificateBody[] };
  }

  async function readFacts(): Promise<void> {
    const tasks = await startFleetTasks(stack, { selector: { nodes }, type: 'facts' });
    for (const t of tasks) expect((await waitForStatus(stack, t.upid)).exitstatus).toBe('OK');
  }

  async function getSchedule(id: number): Promise<ScheduleJson> {
    const res = await stack.http.get(`/schedules/${id}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as ScheduleJson;
  }

  beforeAll(async () => {
    [stack, fleet] = await Promise.all([Stack.start(), TestFleet.start({ nodes: 5 })]);
    nodes = await fleet.register(stack);
    cluster = fleet.sim.info(nodes[0]).cluster;
    aged = nodes.slice(1, 4);
    fresh = [nodes[0], nodes[4]];
    await readFacts();
    for (const n of nodes) original.set(n, proxyCert(n).fingerprint);
    for (const n of aged) fleet.sim.ageCertificate(n, 50);
    await readFacts();
  }, 180_000);

  afterAll(async () => {
    // The built-in schedule is shared by every test of the run's database: paused and over every node again.
    if (schedule) {
      await stack.http.patch(`/schedules/${schedule.id}`, { selector: { all: true } });
      await stack.http.post(`/schedules/${schedule.id}/pause`);
    }
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- beforeAll may have failed before assigning them
    await Promise.all([stack?.stop(), fleet?.stop()]);
  });

  it('every node with its certificate, by days left; filtered, sorted and paged; bad queries name the field', async () => {
    const { data, error, response } = await apiClient(stack).GET('/api/v1/certificates', {
      params: { query: { label: `cluster=${cluster}` } },
    });
    expect(response.status, JSON.stringify(error)).toBe(200);
    // The contract also allows the CSV's string; this is the JSON page (checked against its schema by the client).
    if (!data || typeof data === 'string') throw new Error(`not a JSON page: ${String(data)}`);
    expect(data.total).toBe(5);
    // Aged first (about 10 days left), then the two at 60 days.
    expect(new Set(data.data.slice(0, 3).map((r) => r.node))).toEqual(new Set(aged));
    for (const r of data.data) {
      const cert = proxyCert(r.node);
      expect(r).toMatchObject({
        cluster,
        domains: [`${r.node}.pvefleet.test`],
        issuer: "/C=US/O=Let's Encrypt/CN=R11",
        notAfter: new Date(cert.notAfter * 1000).toISOString(),
        fingerprint: cert.fingerprint,
        lastRenewal: null,
      });
      expect(r.daysLeft).toBe(Math.floor((cert.notAfter * 1000 - stack.now().getTime()) / DAY_MS));
      // Ageing rewrote the certificate: a new fingerprint, the first one remembered.
      expect(r.previousFingerprint).toBe(aged.includes(r.node) ? original.get(r.node) : null);
      expect(r.changedAt).not.toBeNull();
    }
    expect(data.data.slice(0, 3).every((r) => r.daysLeft! >= 9 && r.daysLeft! <= 10)).toBe(true);
    expect(data.data.slice(3).every((r) => r.daysLeft! >= 59 && r.daysLeft! <= 60)).toBe(true);

    expect((await report(`${byCluster()}&maxDays=10`)).data.map((r) => r.node).sort()).toEqual([...aged].sort());
    expect((await report(`${byCluster()}&maxDays=8`)).total).toBe(0);
    expect(
      (await report(`${byCluster()}&sort=-daysLeft`)).data
        .slice(0, 2)
        .map((r) => r.node)
        .sort(),
    ).toEqual([...fresh].sort());
    expect((await report(`${byCluster()}&sort=node`)).data.map((r) => r.node)).toEqual([...nodes].sort());
    expect((await report(`${byCluster()}&sort=-node`)).data.map((r) => r.node)).toEqual([...nodes].sort().reverse());
    expect((await report(`q=${nodes[2]}`)).data.map((r) => r.node)).toEqual([nodes[2]]);
    expect((await report(`q=${cluster.toUpperCase()}`)).total).toBe(5);
    expect((await report(`cluster=${cluster}&maxDays=10`)).total).toBe(3);
    const page = await report(`${byCluster()}&start=3&limit=1`);
    expect(page).toMatchObject({ total: 5, start: 3, limit: 1 });
    expect(page.data.map((r) => r.node)).toEqual([data.data[3].node]);

    expect(errorFields(await stack.http.get('/certificates?maxDays=soon'))).toEqual(['query.maxDays']);
    expect(errorFields(await stack.http.get('/certificates?sort=expiry'))).toEqual(['query.sort']);
    expect(errorFields(await stack.http.get('/certificates?format=xml'))).toEqual(['query.format']);
    expect(errorFields(await stack.http.get('/certificates?cluster=a%20b'))).toEqual(['query.cluster']);
  });

  it('CSV: every matching row in the same order, as text/csv, whatever the page size', async () => {
    const res = await stack.http.get(`/certificates?format=csv&${byCluster()}&maxDays=10&limit=1`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="certificates.csv"');
    const lines = res.text.split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe(
      'node,cluster,domains,issuer,notBefore,notAfter,daysLeft,fingerprint,previousFingerprint,changedAt,' +
        'lastRenewalUpid,lastRenewalStatus,lastRenewalExitstatus,lastRenewalEndTime',
    );
    const json = (await report(`${byCluster()}&maxDays=10`)).data;
    expect(lines.slice(1, -1).map((l) => l.split(',')[0])).toEqual(json.map((r) => r.node));
    const [node, csvCluster, domains, issuer, , notAfter, daysLeft, fingerprint, previous] = lines[1].split(',');
    expect({ node, csvCluster, domains, issuer, notAfter, daysLeft: Number(daysLeft), fingerprint, previous }).toEqual({
      node: json[0].node,
      csvCluster: cluster,
      domains: json[0].domains.join(' '),
      issuer: json[0].issuer,
      notAfter: json[0].notAfter,
      daysLeft: json[0].daysLeft,
      fingerprint: json[0].fingerprint,
      previous: json[0].previousFingerprint,
    });
    // The whole cluster: a header and five lines.
    expect((await stack.http.get(`/certificates?format=csv&${byCluster()}`)).text.split('\r\n')).toHaveLength(7);
    expect(errorFields(await stack.http.get('/certificates?format=csv&maxDays=-'))).toEqual(['query.maxDays']);
  });

  it(
    'the built-in renewal schedule renews exactly the three aged certificates; the report shows the new expiry and the change',
    T,
    async () => {
      const list = await stack.http.get('/schedules?limit=1000');
      expect(list.status).toBe(200);
      const builtin = (list.body as { data: ScheduleJson[] }).data.find((s) => s.builtin === RENEWAL);
      expect(builtin).toMatchObject({
        name: RENEWAL,
        cron: '30 3 * * *',
        timezone: 'UTC',
        spread: 120,
        selector: { all: true },
        action: { kind: 'job', type: 'acmerenew', params: { renewWithinDays: 30, skipUnconfigured: true } },
      });
      schedule = builtin!;
      // Built in: editable and pausable, not deletable. Here it renews only this test's cluster.
      expect((await stack.http.delete(`/schedules/${schedule.id}`)).status).toBe(409);
      expect((await stack.http.patch(`/schedules/${schedule.id}`, { selector: { labels: { cluster } } })).status).toBe(200);
      expect((await stack.http.post(`/schedules/${schedule.id}/resume`)).status).toBe(200);

      const next = new Date((await getSchedule(schedule.id)).nextRuns[0].at);
      expect(next.toISOString()).toMatch(/T03:30:00\.000Z$/);
      expect(next.getTime() - stack.now().getTime()).toBeLessThanOrEqual(DAY_MS);
      await stack.setClock(new Date(next.getTime() + 1_000));
      const run = await eventually(
        async () => (await getSchedule(schedule!.id)).lastRuns.find((r) => r.fireAt === next.toISOString()),
        30_000,
        'the 03:30 run',
      );
      expect(run).toMatchObject({ status: 'started', detail: { nodes: 5 } });

      const runTasks = async (): Promise<ScheduledTask[]> => {
        const res = await stack.http.get(`/tasks?scheduleRun=${run.id}&limit=100`);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return (res.body as { data: ScheduledTask[] }).data;
      };
      const held = await runTasks();
      expect(held.map((t) => t.node).sort()).toEqual([...nodes].sort());
      // Spread over two hours from the fire time.
      for (const t of held) {
        const offset = new Date(t.startAfter!).getTime() - next.getTime();
        expect(offset).toBeGreaterThanOrEqual(0);
        expect(offset).toBeLessThan(120 * 60_000);
      }
      await stack.setClock(new Date(next.getTime() + 121 * 60_000));
      const done = await eventually(
        async () => {
          const tasks = await runTasks();
          return tasks.every((t) => t.status === 'stopped') ? tasks : undefined;
        },
        90_000,
        'every renewal task stopped',
      );
      expect(done.map((t) => [t.node, t.exitstatus])).toEqual(done.map((t) => [t.node, 'OK']));
      const renewed = new Map<string, unknown>();
      for (const t of done) renewed.set(t.node, ((await getTask(stack, t.upid)).result as { renewed?: boolean }).renewed);
      expect(Object.fromEntries(renewed)).toEqual(Object.fromEntries(nodes.map((n) => [n, aged.includes(n)])));

      const upidOf = new Map(done.map((t) => [t.node, t.upid]));
      const after = (await report(`${byCluster()}&sort=node`)).data;
      for (const r of after) {
        const cert = proxyCert(r.node);
        expect(r.lastRenewal).toMatchObject({ upid: upidOf.get(r.node), type: 'acmerenew', status: 'stopped', exitstatus: 'OK' });
        expect(r.lastRenewal!.renewed).toBe(aged.includes(r.node));
        expect(r.fingerprint).toBe(cert.fingerprint);
        if (!aged.includes(r.node)) continue;
        // A new certificate of 90 days (the clock is a day at most ahead), recorded as a change from the aged one.
        expect(r.notAfter).toBe(new Date(cert.notAfter * 1000).toISOString());
        expect(r.daysLeft).toBeGreaterThanOrEqual(87);
        expect(r.previousFingerprint).not.toBe(r.fingerprint);
        expect(r.previousFingerprint).not.toBe(original.get(r.node));
        expect(new Date(r.changedAt!).getTime()).toBeGreaterThanOrEqual(next.getTime());
        // pveproxy serves it (the task checked; the simulator agrees).
        expect(fleet.sim.state(r.node).certificates.servedFingerprint).toBe(r.fingerprint);
      }
      expect((await report(`${byCluster()}&maxDays=30`)).total).toBe(0);
      expect((await stack.http.post(`/schedules/${schedule.id}/pause`)).status).toBe(200);
    },
  );

  it('a node whose pveproxy keeps serving the old certificate: its renewal fails naming both and what to do', T, async () => {
    const node = nodes[4];
    const served = fleet.sim.state(node).certificates.servedFingerprint!;
    fleet.sim.keepServedCertificate(node);
    const task = await waitForStatus(stack, await startTask(stack, node, 'acmerenew', { force: true }));
    const installed = proxyCert(node);
    expect(installed.fingerprint).not.toBe(served);
    expect(task.errorClass).toBe('permanent');
    expect(task.exitstatus).toMatch(
      new RegExp(
        `^pveproxy still serves the old certificate ${served} \\(expires [^)]+\\), expected the new certificate ${installed.fingerprint} ` +
          `\\(expires ${new Date(installed.notAfter * 1000).toISOString().replace(/\./g, '\\.')}\\): the new one is installed but pveproxy did not load it; ` +
          `run 'systemctl restart pveproxy' on the node$`,
      ),
    );
    // The report shows the installed certificate and the failed renewal.
    const [row] = (await report(`q=${node}`)).data;
    expect(row).toMatchObject({
      fingerprint: installed.fingerprint,
      lastRenewal: { upid: task.upid, errorClass: 'permanent', renewed: null },
    });
    expect(row.lastRenewal!.exitstatus).toBe(task.exitstatus);
    // What the error says to do works.
    expect((await fleet.sim.exec(node, 'systemctl restart pveproxy')).code).toBe(0);
    expect(fleet.sim.state(node).certificates.servedFingerprint).toBe(installed.fingerprint);
  });
});
