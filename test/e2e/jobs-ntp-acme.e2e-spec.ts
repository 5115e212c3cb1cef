import { errorBody } from '@pvefleet/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client';
import { TestFleet } from '../support/fleet';
import { Stack } from '../support/stack';
import { eventually, startTask, taskLog, waitForStatus, type TaskJson } from '../support/tasks';

const DAY_MS = 86_400_000;
const CHRONY_DROPIN = '/etc/chrony/sources.d/pvefleet.sources';
const TIMESYNCD_DROPIN = '/etc/systemd/timesyncd.conf.d/pvefleet.conf';
const CHRONY_STATUS = 'chronyc tracking && chronyc -N sources';
const CERT_INFO = 'pvenode cert info --output-format json';
/** After an order or renewal: the certificate pveproxy serves must be the new one. */
const servedCheck = (node: string) =>
  `openssl s_client -connect 127.0.0.1:8006 -servername ${node}.pvefleet.test </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256 -enddate`;

interface Run {
  task: TaskJson;
  log: string[];
  /** The commands the task ran on the node, in order. */
  ran: string[];
  result: Record<string, unknown> | null;
}

/** A plan as a dry run shows it. */
interface Plan {
  steps: { command: string; writes?: { path: string; content: string }[]; retryUntil?: string }[];
}

/**
 * ntp, acmerenew and acmenewcert against the simulator: chrony and timesyncd rollouts, the idempotent
 * re-run, a clock that never synchronises, renewals decided by expiry, first orders, domains from the
 * spec, ACME failures, dry runs and the fleet form. The nodes' state is read back through the simulator.
 */
describe('ntp and ACME certificates against the simulated fleet', () => {
  let stack: Stack;
  let fleet: TestFleet;
  let timesyncd: TestFleet;
  let nodes: string[];
  let tsNode: string;

  beforeAll(async () => {
    [stack, fleet, timesyncd] = await Promise.all([
      Stack.start({ env: { PVEFLEET_SSH_IDLE_MS: '0' } }),
      TestFleet.start({ nodes: 3 }),
      TestFleet.start({ nodes: 1, sim: { timesync: 'timesyncd' } }),
    ]);
    nodes = await fleet.register(stack);
    [tsNode] = await timesyncd.register(stack);
  });
  afterEach(() => {
    for (const n of nodes) fleet.sim.clearFaults(n);
  });
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- beforeAll may have failed before assigning them
    await Promise.all([stack?.stop(), fleet?.stop(), timesyncd?.stop()]);
  });

  async function run(node: string, type: string, params: object = {}): Promise<Run> {
    const task = await waitForStatus(stack, await startTask(stack, node, type, params));
    const log = (await taskLog(stack, task.upid)).map((l) => l.t);
    const result = await resultOf(task.upid);
    // The facts read at task start are logged as 'reading node facts', not as a '# ' command.
    return { task, log, ran: log.filter((l) => l.startsWith('# ')).map((l) => l.slice(2)), result };
  }

  /** The task's result: an object for every kind here, or null (none, or not stopped OK). */
  async function resultOf(upid: string): Promise<Record<string, unknown> | null> {
    const { data } = await apiClient(stack).GET('/api/v1/tasks/{upid}', { params: { path: { upid } } });
    if (!data) throw new Error(`no detail for task ${upid}`);
    return (data.result ?? null) as Record<string, unknown> | null;
  }

  /** Starts a dry run of `type` on `node` and returns its one plan. */
  async function dryRun(node: string, type: string, params: Record<string, unknown>): Promise<Plan> {
    const { data, error, response } = await apiClient(stack).POST('/api/v1/nodes/{name}/tasks', {
      params: { path: { name: node } },
      body: { type, params, dryRun: true },
    });
    expect(response.status, JSON.stringify(error ?? data)).toBe(200);
    if (!data || !('plans' in data)) throw new Error(`not a dry run: ${JSON.stringify(data)}`);
    return data.plans[0].plan as Plan;
  }

  async function refreshFacts(node: string): Promise<void> {
    expect((await run(node, 'facts')).task.exitstatus).toBe('OK');
  }

  const proxyCert = (node: string) => fleet.sim.state(node).certificates.pveproxy;

  /**
   * The simulator issues a certificate in milliseconds, with notAfter = issue second + 90 days, so a
   * second issue within the same second would not be later, and the task rightly fails. Real orders
   * take seconds; here, wait (polling) until the clock has left the last issue's second.
   */
  async function afterLastIssue(node: string): Promise<void> {
    const issued = proxyCert(node)?.notBefore ?? 0;
    await eventually(() => Promise.resolve(Math.floor(Date.now() / 1000) > issued ? true : undefined), 3_000, 'the next second');
  }

  describe('ntp', () => {
    const servers = ['ntp1.example.com', '10.0.0.2'];
    const dropin =
      '# Managed by pvefleet (ntp task): changes here are overwritten.\nserver ntp1.example.com iburst\nserver 10.0.0.2 iburst\n';

    it('chrony: writes the drop-in, reloads sources and waits for sync; again changes nothing', async () => {
      const first = await run(nodes[0], 'ntp', { servers });
      expect(first.task.exitstatus).toBe('OK');
      expect(first.ran).toEqual([`cat > ${CHRONY_DROPIN} <<'PVEFLEET_EOF'`, 'chronyc reload sources', CHRONY_STATUS]);
      expect(fleet.sim.readFile(nodes[0], CHRONY_DROPIN)).toBe(dropin);
      const time = fleet.sim.state(nodes[0]).time;
      expect(time.synced).toBe(true);
      expect(time.sources.map((s) => s.name)).toEqual(expect.arrayContaining(servers));
      // The pool stays: disablePool was not asked for.
      expect(time.sources).toHaveLength(6);
      expect(first.result).toMatchObject({ daemon: 'chrony', servers, changed: true, files: [CHRONY_DROPIN], leapStatus: 'Normal' });
      expect(first.log).toContain(`${CHRONY_DROPIN} will list ntp1.example.com, 10.0.0.2`);

      const again = await run(nodes[0], 'ntp', { servers });
      expect(again.task.exitstatus).toBe('OK');
      expect(again.ran).toEqual([CHRONY_STATUS]);
      expect(again.log).toContain('nothing to change: chrony already has these servers; verifying synchronisation only');
      expect(again.result).toMatchObject({ changed: false, files: [] });
    });

    it('chrony with disablePool: comments out the pool and restarts chrony', async () => {
      const { task, ran, result, log } = await run(nodes[1], 'ntp', { servers, disablePool: true });
      expect(task.exitstatus).toBe('OK');
      expect(ran).toEqual([
        `cat > ${CHRONY_DROPIN} <<'PVEFLEET_EOF'`,
        "cat > /etc/chrony/chrony.conf <<'PVEFLEET_EOF'",
        'systemctl restart chrony',
        CHRONY_STATUS,
      ]);
      expect(log).toContain('commenting out in /etc/chrony/chrony.conf: pool 2.debian.pool.ntp.org iburst');
      const conf = fleet.sim.readFile(nodes[1], '/etc/chrony/chrony.conf')!;
      expect(conf).toContain('\n#pool 2.debian.pool.ntp.org iburst\n');
      expect(conf).not.toMatch(/^pool /m);
      const time = fleet.sim.state(nodes[1]).time;
      expect(time.sources.map((s) => s.name)).toEqual(servers);
      expect(time.sources[0].state).toBe('*');
      expect(result).toMatchObject({
        changed: true,
        disabledPools: ['pool 2.debian.pool.ntp.org iburst'],
        selectedSource: 'ntp1.example.com',
      });
      expect((await run(nodes[1], 'ntp', { servers, disablePool: true })).ran).toEqual([CHRONY_STATUS]);
    });

    it('systemd-timesyncd: NTP= in a drop-in and a restart; again changes nothing', async () => {
      const first = await run(tsNode, 'ntp', { servers });
      expect(first.task.exitstatus).toBe('OK');
      expect(first.ran).toEqual([
        `cat ${TIMESYNCD_DROPIN} 2>/dev/null || true`,
        'mkdir -p /etc/systemd/timesyncd.conf.d',
        `cat > ${TIMESYNCD_DROPIN} <<'PVEFLEET_EOF'`,
        'systemctl restart systemd-timesyncd',
        'timedatectl show -p NTPSynchronized && timedatectl show-timesync -p SystemNTPServers -p ServerName',
      ]);
      expect(timesyncd.sim.readFile(tsNode, TIMESYNCD_DROPIN)).toBe(
        '# Managed by pvefleet (ntp task): changes here are overwritten.\n[Time]\nNTP=\nNTP=ntp1.example.com 10.0.0.2\n',
      );
      expect((await timesyncd.sim.exec(tsNode, 'timedatectl show-timesync -p SystemNTPServers --value')).stdout).toBe(
        'ntp1.example.com 10.0.0.2\n',
      );
      expect(timesyncd.sim.state(tsNode).time).toMatchObject({ daemon: 'timesyncd', synced: true });
      expect(first.result).toEqual({
        daemon: 'systemd-timesyncd',
        servers,
        changed: true,
        files: [TIMESYNCD_DROPIN],
        serverName: 'ntp1.example.com',
      });

      const again = await run(tsNode, 'ntp', { servers });
      expect(again.task.exitstatus).toBe('OK');
      expect(again.ran).toEqual([first.ran[0], first.ran[4]]);
      expect(again.log).toContain(
        `skipped 'systemctl restart systemd-timesyncd': only if ${TIMESYNCD_DROPIN} differs from the wanted content`,
      );
      expect(again.result?.changed).toBe(false);
    });

    it('a clock that never synchronises: task error after the timeout naming what it saw', async () => {
      fleet.sim.setClockSynced(nodes[2], false);
      const started = Date.now();
      const { task, log } = await run(nodes[2], 'ntp', { servers, syncTimeoutSeconds: 3 });
      expect(task.exitstatus).toBe(
        'chrony synchronised with ntp1.example.com, 10.0.0.2 among its sources (last seen: Leap status Not synchronised; no selected (^*) source (sources: ^? 2.debian.pool.ntp.org, ^? 2.debian.pool.ntp.org, ^? 2.debian.pool.ntp.org, ^? 2.debian.pool.ntp.org, ^? ntp1.example.com, ^? 10.0.0.2)): not reached within 3 s (last output above)',
      );
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(log).toContain('Leap status     : Not synchronised');
      // The servers were applied and the log says so; only the synchronisation failed.
      expect(fleet.sim.readFile(nodes[2], CHRONY_DROPIN)).toBe(dropin);
      expect(log).toContain('# chronyc reload sources');
    });

    it('a node without a time daemon: a clear task error, nothing written', async () => {
      await fleet.sim.exec(nodes[2], 'systemctl stop chrony');
      try {
        const { task, ran } = await run(nodes[2], 'ntp', { servers: ['ntp9.example.com'] });
        expect(task.exitstatus).toBe(
          'invalid parameters: params: no time daemon runs on the node (neither chrony nor systemd-timesyncd is active): install and start chrony first',
        );
        expect(ran).toEqual([]);
      } finally {
        await fleet.sim.exec(nodes[2], 'systemctl start chrony');
      }
    });

    it('rejects injection attempts naming the field, and runs nothing', async () => {
      const execs = fleet.sim.counters(nodes[0]).execs;
      for (const bad of ['a;reboot', '$(reboot)', '`reboot`', 'a\nreboot', "ntp'1", '../../etc/passwd', 'x'.repeat(300)]) {
        const res = await stack.http.post(`/nodes/${nodes[0]}/tasks`, { type: 'ntp', params: { servers: ['ntp1.example.com', bad] } });
        expect(res.status, JSON.stringify(bad)).toBe(400);
        expect(errorBody.parse(res.body).errors?.map((e) => e.field)).toContain('params.servers.1');
      }
      expect(fleet.sim.counters(nodes[0]).execs).toBe(execs);
    });

    it('a dry run shows the commands and the file, and runs nothing', async () => {
      await refreshFacts(nodes[0]);
      const execs = fleet.sim.counters(nodes[0]).execs;
      const plan = await dryRun(nodes[0], 'ntp', { servers: ['10.0.0.3'] });
      expect(plan.steps.map((s) => s.command.split('\n')[0])).toEqual([
        `cat > ${CHRONY_DROPIN} <<'PVEFLEET_EOF'`,
        'chronyc reload sources',
        CHRONY_STATUS,
      ]);
      expect(plan.steps[0].writes).toEqual([
        { path: CHRONY_DROPIN, content: '# Managed by pvefleet (ntp task): changes here are overwritten.\nserver 10.0.0.3 iburst\n' },
      ]);
      expect(plan.steps[2].retryUntil).toBe('chrony synchronised with 10.0.0.3 among its sources');
      expect(fleet.sim.counters(nodes[0]).execs).toBe(execs);
      expect(fleet.sim.readFile(nodes[0], CHRONY_DROPIN)).toBe(dropin);
    });
  });

  describe('acmerenew and acmenewcert', () => {
    const fqdn = (node: string) => `${node}.pvefleet.test`;

    it('a fresh certificate is not renewed, only verified', async () => {
      const before = proxyCert(nodes[0])!;
      const { task, ran, log, result } = await run(nodes[0], 'acmerenew');
      expect(task.exitstatus).toBe('OK');
      expect(task.upid).toContain(':acmerenew::');
      expect(ran).toEqual([CERT_INFO]);
      expect(log).toContain(
        `certificate expires in ${before.daysLeft} days (${new Date(before.notAfter * 1000).toISOString().slice(0, 10)}), not renewing (renewal window 30 days)`,
      );
      expect(result).toMatchObject({
        action: 'none',
        renewed: false,
        oldFingerprint: before.fingerprint,
        newFingerprint: before.fingerprint,
      });
      expect(proxyCert(nodes[0])!.fingerprint).toBe(before.fingerprint);
    });

    it('an aged certificate is renewed: notAfter ~90 days ahead, old and new on the task', async () => {
      fleet.sim.ageCertificate(nodes[1], 80);
      const before = proxyCert(nodes[1])!;
      const { task, ran, log, result } = await run(nodes[1], 'acmerenew');
      expect(task.exitstatus).toBe('OK');
      expect(ran).toEqual(['pvenode acme cert renew', CERT_INFO, servedCheck(nodes[1])]);
      expect(log).toContain('Revoking old certificate');
      const after = proxyCert(nodes[1])!;
      expect(after.notAfter * 1000 - Date.now()).toBeGreaterThan(89 * DAY_MS);
      expect(after.fingerprint).not.toBe(before.fingerprint);
      expect(result).toMatchObject({
        action: 'renew',
        renewed: true,
        oldNotAfter: new Date(before.notAfter * 1000).toISOString(),
        newNotAfter: new Date(after.notAfter * 1000).toISOString(),
        oldFingerprint: before.fingerprint,
        newFingerprint: after.fingerprint,
      });
      expect(result!.reason).toMatch(
        /^certificate expired 20 days ago \(\d{4}-\d\d-\d\d\), within the renewal window of 30 days: renewing$/,
      );
    });

    it('a forced renewal', async () => {
      const before = proxyCert(nodes[0])!;
      const { task, ran, result } = await run(nodes[0], 'acmerenew', { force: true });
      expect(task.exitstatus).toBe('OK');
      expect(ran).toEqual(['pvenode acme cert renew --force 1', CERT_INFO, servedCheck(nodes[0])]);
      expect(result).toMatchObject({ renewed: true, oldFingerprint: before.fingerprint });
      expect(proxyCert(nodes[0])!.notAfter).toBeGreaterThan(before.notAfter);
    });

    it('a node without a custom certificate orders a first one', async () => {
      await fleet.sim.exec(nodes[2], 'rm /etc/pve/local/pveproxy-ssl.pem /etc/pve/local/pveproxy-ssl.key');
      expect(proxyCert(nodes[2])).toBeNull();
      const { task, ran, log, result } = await run(nodes[2], 'acmerenew');
      expect(task.exitstatus).toBe('OK');
      expect(ran).toEqual(['pvenode acme cert order', CERT_INFO, servedCheck(nodes[2])]);
      expect(log).toContain('no custom certificate (pveproxy-ssl.pem): ordering a first one');
      expect(proxyCert(nodes[2])).toMatchObject({ subject: `/CN=${fqdn(nodes[2])}` });
      expect(result).toMatchObject({
        action: 'order',
        renewed: true,
        oldNotAfter: null,
        oldFingerprint: null,
        newFingerprint: proxyCert(nodes[2])!.fingerprint,
      });
    });

    it('domains from the spec are configured, and a certificate not covering them is renewed', async () => {
      const domains = [fqdn(nodes[0]), `extra-${nodes[0]}.pvefleet.test`];
      await afterLastIssue(nodes[0]);
      const { task, ran, result } = await run(nodes[0], 'acmerenew', { domains });
      expect(task.exitstatus).toBe('OK');
      expect(ran).toEqual([
        `pvenode config set --acme 'account=default,domains=${domains.join(';')}'`,
        'pvenode config get',
        'pvenode acme cert renew --force 1',
        CERT_INFO,
        servedCheck(nodes[0]),
      ]);
      expect(fleet.sim.readFile(nodes[0], `/etc/pve/nodes/${nodes[0]}/config`)).toContain(
        `acme: account=default,domains=${domains.join(';')}\n`,
      );
      expect(proxyCert(nodes[0])!.san).toEqual(domains.map((d) => `DNS:${d}`));
      expect(result).toMatchObject({ renewed: true, domains });
      // Configured and covered now: the same request changes nothing.
      expect((await run(nodes[0], 'acmerenew', { domains })).ran).toEqual([CERT_INFO]);
    });

    it('an ACME failure ends in a task error with the CA message; the certificate is unchanged', async () => {
      fleet.sim.failAcme(nodes[1]);
      const before = proxyCert(nodes[1])!;
      const { task, log } = await run(nodes[1], 'acmerenew', { force: true });
      expect(task.exitstatus).toMatch(
        /^ACME certificate renew failed: Error: POST to https:\/\/acme-v02\.api\.letsencrypt\.org\/acme\/new-order .*too many certificates already issued/,
      );
      expect(log.some((l) => l.includes('too many certificates already issued'))).toBe(true);
      expect(proxyCert(nodes[1])!.fingerprint).toBe(before.fingerprint);

      const order = await run(nodes[1], 'acmenewcert');
      expect(order.task.exitstatus).toMatch(/^ACME certificate order failed: Error: POST .*rateLimited/);
    });

    it('acmenewcert orders a new certificate over the existing one', async () => {
      const before = proxyCert(nodes[2])!;
      await afterLastIssue(nodes[2]);
      const { task, ran, result } = await run(nodes[2], 'acmenewcert');
      expect(task.exitstatus).toBe('OK');
      expect(task.upid).toContain(':acmenewcert::');
      expect(ran).toEqual(['pvenode acme cert order --force 1', CERT_INFO, servedCheck(nodes[2])]);
      expect(proxyCert(nodes[2])!.fingerprint).not.toBe(before.fingerprint);
      expect(result).toMatchObject({
        action: 'order',
        renewed: true,
        oldFingerprint: before.fingerprint,
        newFingerprint: proxyCert(nodes[2])!.fingerprint,
      });
    });

    it('plan errors name the field: an unknown ACME account', async () => {
      await refreshFacts(nodes[0]);
      const res = await stack.http.post(`/nodes/${nodes[0]}/tasks`, {
        type: 'acmenewcert',
        params: { domains: [fqdn(nodes[0])], account: 'nosuchaccount' },
      });
      expect(res.status).toBe(400);
      expect(errorBody.parse(res.body).errors).toEqual([
        { field: 'params.account', message: "the node has no ACME account 'nosuchaccount' (registered: default)" },
      ]);
      for (const bad of ['$(reboot).example.com', 'a;b.example.com', '`id`.example.com', "a'b.example.com"]) {
        const r = await stack.http.post(`/nodes/${nodes[0]}/tasks`, { type: 'acmerenew', params: { domains: [bad] } });
        expect(r.status, bad).toBe(400);
        expect(errorBody.parse(r.body).errors?.map((e) => e.field)).toContain('params.domains.0');
      }
    });

    it('dry runs plan from the stored facts and run nothing', async () => {
      fleet.sim.ageCertificate(nodes[2], 70);
      await refreshFacts(nodes[2]);
      const before = proxyCert(nodes[2])!;
      const execs = fleet.sim.counters(nodes[2]).execs;
      const renew = await dryRun(nodes[2], 'acmerenew', {});
      expect(renew.steps.map((s) => s.command)).toEqual(['pvenode acme cert renew', CERT_INFO, servedCheck(nodes[2])]);
      const order = await dryRun(nodes[2], 'acmenewcert', {});
      expect(order.steps.map((s) => s.command)).toEqual(['pvenode acme cert order --force 1', CERT_INFO, servedCheck(nodes[2])]);
      expect(fleet.sim.counters(nodes[2]).execs).toBe(execs);
      expect(proxyCert(nodes[2])!.fingerprint).toBe(before.fingerprint);
    });

    it('the fleet form renews only the aged certificate', async () => {
      for (const n of nodes) {
        await afterLastIssue(n);
        expect((await run(n, 'acmenewcert')).task.exitstatus).toBe('OK');
      }
      fleet.sim.ageCertificate(nodes[1], 75);
      const before = nodes.map((n) => proxyCert(n)!.fingerprint);
      const res = await apiClient(stack).POST('/api/v1/tasks', { body: { selector: { nodes }, type: 'acmerenew', params: {} } });
      expect(res.response.status, JSON.stringify(res.error ?? res.data)).toBe(202);
      if (!res.data || !('tasks' in res.data)) throw new Error(`no tasks in ${JSON.stringify(res.data)}`);
      const tasks = await Promise.all(res.data.tasks.map((t) => waitForStatus(stack, t.upid)));
      expect(tasks.map((t) => t.exitstatus)).toEqual(['OK', 'OK', 'OK']);
      const results = await Promise.all(tasks.map((t) => resultOf(t.upid)));
      expect(results.map((r) => r?.renewed)).toEqual([false, true, false]);
      expect(nodes.map((n) => proxyCert(n)!.fingerprint !== before[nodes.indexOf(n)])).toEqual([false, true, false]);
      expect(proxyCert(nodes[1])!.daysLeft).toBeGreaterThanOrEqual(89);
    });
  });
});
