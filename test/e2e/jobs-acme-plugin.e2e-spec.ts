import { errorBody } from '@pvefleet/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client';
import { TestFleet } from '../support/fleet';
import { Stack } from '../support/stack';
import { eventually, startTask, taskLog, uniqueName, waitForStatus, type TaskJson } from '../support/tasks';
import { stopAll } from '../support/teardown';

const CERT_INFO = 'pvenode cert info --output-format json';
const SECRET = 'CF_Token=e2e-dns-secret';
/** Adds the DNS plugin `cfdns` (acme.sh's `cf` API) with a credentials file, as an admin would. */
const ADD_PLUGIN = `printf '${SECRET}\\n' > /root/cf.env && pvenode acme plugin add dns cfdns --api cf --data /root/cf.env --validation-delay 0`;

interface Run {
  task: TaskJson;
  log: string[];
  /** The commands the task ran on the node, in order. */
  ran: string[];
}

/**
 * The acme kinds with a DNS challenge plugin against the simulator: an unknown plugin refused by
 * field before anything runs, an order through the plugin (acmedomain0 set and read back, the TXT
 * record in the order's log, the credentials never in a log), the order failing as PVE does once the
 * plugin is gone, and desired state setting the plugin and window fleet-wide by profile.
 */
describe('ACME through a DNS plugin against the simulated fleet', () => {
  let stack: Stack;
  let fleet: TestFleet;
  let nodes: string[];

  beforeAll(async () => {
    [stack, fleet] = await Promise.all([Stack.start(), TestFleet.start({ nodes: 2 })]);
    nodes = await fleet.register(stack);
  });
  afterAll(() => stopAll(stack, fleet));

  const fqdn = (node: string) => `${node}.pvefleet.test`;
  const nodeConfig = (node: string) => fleet.sim.readFile(node, `/etc/pve/nodes/${node}/config`);

  async function run(node: string, type: string, params: object = {}): Promise<Run> {
    const task = await waitForStatus(stack, await startTask(stack, node, type, params));
    const log = (await taskLog(stack, task.upid)).map((l) => l.t);
    return { task, log, ran: log.filter((l) => l.startsWith('# ')).map((l) => l.slice(2)) };
  }

  async function refreshFacts(node: string): Promise<void> {
    expect((await run(node, 'facts')).task.exitstatus).toBe('OK');
  }

  async function refused(node: string, type: string, params: object) {
    const res = await stack.http.post(`/nodes/${node}/tasks`, { type, params });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    return errorBody.parse(res.body).errors ?? [];
  }

  it('a plugin the node does not have, too many domains for a plugin, a plugin that is no id: 400 by field, nothing runs', async () => {
    await refreshFacts(nodes[0]);
    const execs = fleet.sim.counters(nodes[0]).execs;
    expect(await refused(nodes[0], 'acmenewcert', { plugin: 'cfdns' })).toEqual([
      {
        field: 'params.plugin',
        message: "the node has no ACME plugin 'cfdns' (configured: standalone; pvenode acme plugin add dns <id> --api <api> --data <file>)",
      },
    ]);
    const seven = [1, 2, 3, 4, 5, 6, 7].map((i) => `d${i}.pvefleet.test`);
    expect((await refused(nodes[0], 'acmerenew', { plugin: 'cfdns', domains: seven })).map((e) => e.field)).toEqual(['params.domains']);
    for (const bad of ['$(reboot)', 'cf dns', "cf'dns", 'a;reboot']) {
      expect(
        (await refused(nodes[0], 'acmenewcert', { plugin: bad })).map((e) => e.field),
        bad,
      ).toEqual(['params.plugin']);
    }
    expect(fleet.sim.counters(nodes[0]).execs).toBe(execs);
  });

  it('an order through the DNS plugin: acmedomain0 set and read back, the TXT record logged, the credentials nowhere', async () => {
    const node = nodes[0];
    expect((await fleet.sim.exec(node, ADD_PLUGIN)).code).toBe(0);
    await refreshFacts(node);
    const { task, ran, log } = await run(node, 'acmenewcert', { plugin: 'cfdns' });
    expect(task.exitstatus, log.join('\n')).toBe('OK');
    expect(ran.slice(0, 4)).toEqual([
      `pvenode config set --acme account=default --acmedomain0 ${fqdn(node)},plugin=cfdns`,
      'pvenode config get',
      'pvenode acme cert order --force 1',
      CERT_INFO,
    ]);
    expect(log).toContain(`Add TXT record: _acme-challenge.${fqdn(node)}`);
    expect(log).toContain(`Remove TXT record: _acme-challenge.${fqdn(node)}`);
    expect(log).not.toContain('Setting up webserver');
    expect(nodeConfig(node)).toBe(`acme: account=default\nacmedomain0: ${fqdn(node)},plugin=cfdns\n`);
    expect(fleet.sim.state(node).certificates.pveproxy?.san).toEqual([`DNS:${fqdn(node)}`]);

    // The facts after it: each domain's plugin and the node's plugins, without the credentials.
    const facts = await run(node, 'facts');
    const { data } = await apiClient(stack).GET('/api/v1/tasks/{upid}', { params: { path: { upid: facts.task.upid } } });
    const stored = JSON.stringify(data?.result);
    expect(stored).not.toContain(Buffer.from(`${SECRET}\n`).toString('base64url'));
    expect((data?.result as { facts: { acme: unknown } }).facts.acme).toMatchObject({
      domains: [fqdn(node)],
      domainConfig: [{ domain: fqdn(node), plugin: 'cfdns', key: 'acmedomain0' }],
      plugins: [
        { id: 'cfdns', type: 'dns', api: 'cf' },
        { id: 'standalone', type: 'standalone' },
      ],
    });
    // Asked again: nothing to configure, the fresh certificate not renewed.
    const again = await run(node, 'acmerenew', { plugin: 'cfdns' });
    expect(again.task.exitstatus).toBe('OK');
    expect(again.ran).toEqual([CERT_INFO]);
  });

  it('the plugin removed on the node since: the order fails as PVE does, naming plugin and domain', async () => {
    const node = nodes[0];
    expect((await fleet.sim.exec(node, 'pvenode acme plugin remove cfdns')).code).toBe(0);
    const { task, log } = await run(node, 'acmenewcert');
    expect(task.exitstatus).toBe("ACME certificate order failed: 'pvenode acme cert order --force 1' exited with 255 (see the log)");
    expect(log).toContain(`plugin 'cfdns' for domain '${fqdn(node)}' not found!`);
    // Now the facts know: asking for the plugin is refused up front.
    expect((await refused(node, 'acmenewcert', { plugin: 'cfdns' })).map((e) => e.field)).toEqual(['params.plugin']);
  });

  it('desired state: a profile sets the plugin and window for its nodes; drift, one reconcile task, compliant, nothing more', async () => {
    const node = nodes[1];
    expect((await fleet.sim.exec(node, ADD_PLUGIN)).code).toBe(0);
    await refreshFacts(node);
    const fingerprint = fleet.sim.state(node).certificates.pveproxy?.fingerprint;
    const api = apiClient(stack);
    const created = await api.POST('/api/v1/profiles', {
      body: {
        name: uniqueName('acme'),
        description: 'the DNS plugin and the renewal window, domains as each node has them',
        selector: { nodes: [node] },
        priority: 10,
        fields: { acme: { value: { plugin: 'cfdns', renewWithinDays: 30 } } },
      },
    });
    expect(created.response.status, JSON.stringify(created.error)).toBe(201);
    const acmeDrift = async () => {
      const { data } = await api.GET('/api/v1/nodes/{name}/drift', { params: { path: { name: node } } });
      return data?.fields.find((f) => f.field === 'acme');
    };
    const drift = await eventually(async () => {
      const f = await acmeDrift();
      return f?.status === 'drift' ? f : undefined;
    });
    expect(drift.reason).toBe('ACME plugin is standalone, wants cfdns');

    const first = await api.POST('/api/v1/reconcile', { body: { selector: { nodes: [node] }, fields: ['acme'] } });
    expect(first.response.status, JSON.stringify(first.error)).toBe(202);
    expect(first.data?.tasks.map((t) => [t.type, t.params])).toEqual([['acmerenew', { plugin: 'cfdns', renewWithinDays: 30 }]]);
    const task = await waitForStatus(stack, first.data!.tasks[0].upid!);
    expect(task.exitstatus).toBe('OK');
    expect(nodeConfig(node)).toBe(`acme: account=default\nacmedomain0: ${fqdn(node)},plugin=cfdns\n`);
    // A plugin change alone orders nothing: the certificate is the one the node had.
    expect(fleet.sim.state(node).certificates.pveproxy?.fingerprint).toBe(fingerprint);

    await eventually(async () => ((await acmeDrift())?.status === 'compliant' ? true : undefined));
    const second = await api.POST('/api/v1/reconcile', { body: { selector: { nodes: [node] }, fields: ['acme'] } });
    expect(second.response.status).toBe(202);
    expect(second.data?.tasks).toEqual([]);
  });
});
