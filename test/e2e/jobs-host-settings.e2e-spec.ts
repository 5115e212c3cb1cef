import { errorBody } from '@pvefleet/contracts';
import type { NodeFacts } from '@pvefleet/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client';
import { TestFleet } from '../support/fleet';
import { Stack } from '../support/stack';
import { eventually, startTask, taskLog, waitForStatus, type TaskJson } from '../support/tasks';

const SWAPPINESS_FILE = '/etc/sysctl.d/90-pvefleet-swappiness.conf';
const GREP_FILE = `grep -E '^[[:space:]]*-?vm[./]swappiness[[:space:]]*=' ${SWAPPINESS_FILE}`;
const ARC_MAX = '/sys/module/zfs/parameters/zfs_arc_max';
const GIB8 = 8589934592;
const SERVERS = [
  { type: 'graphite', name: 'graphite1', server: '10.0.0.50', port: 2003, path: 'proxmox', proto: 'udp' },
  {
    type: 'influxdb',
    name: 'influx1',
    server: 'influx.example.com',
    port: 8086,
    influxdbproto: 'https',
    bucket: 'pve',
    verifyCertificate: false,
  },
];
const STATUS_CFG =
  'graphite: graphite1\n\tpath proxmox\n\tport 2003\n\tproto udp\n\tserver 10.0.0.50\n\ninfluxdb: influx1\n\tbucket pve\n\tinfluxdbproto https\n\tport 8086\n\tserver influx.example.com\n\tverify-certificate 0\n\n';

interface Run {
  task: TaskJson;
  log: string[];
  /** The commands the task ran on the node, in order. */
  ran: string[];
}

/**
 * swappiness, zfsarc, apthold and metricserver over SSH against the simulator: each writes what the
 * seed says, reads it back, and the facts the runner stores afterwards show the new values; bad
 * values are refused with a 400 naming the field, as tasks and as desired-state fields.
 */
describe('host settings kinds against the simulated fleet', () => {
  let stack: Stack;
  let fleet: TestFleet;
  let nodes: string[];

  beforeAll(async () => {
    [stack, fleet] = await Promise.all([Stack.start(), TestFleet.start({ nodes: 3 })]);
    nodes = await fleet.register(stack);
    await Promise.all(nodes.map(refreshFacts));
  });
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- beforeAll may have failed before assigning them
    await Promise.all([stack?.stop(), fleet?.stop()]);
  });

  async function run(node: string, type: string, params: object): Promise<Run> {
    const task = await waitForStatus(stack, await startTask(stack, node, type, params));
    const log = (await taskLog(stack, task.upid)).map((l) => l.t);
    return { task, log, ran: log.filter((l) => l.startsWith('# ')).map((l) => l.split('\n', 1)[0].slice(2)) };
  }

  async function refreshFacts(node: string): Promise<void> {
    expect((await run(node, 'facts', {})).task.exitstatus).toBe('OK');
  }

  /** The facts pvefleet stored for the node (the runner reads them again after every mutating task). */
  async function facts(node: string): Promise<NodeFacts> {
    const { data, response } = await apiClient(stack).GET('/api/v1/nodes/{name}', { params: { path: { name: node } } });
    expect(response.status).toBe(200);
    if (!data) throw new Error(`no body for node ${node}`);
    return data.facts as NodeFacts;
  }

  /** A task submission refused with 400: its errors by field. */
  async function rejected(node: string, type: string, params: object): Promise<Record<string, string>> {
    const res = await stack.http.post(`/nodes/${node}/tasks`, { type, params });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    return Object.fromEntries((errorBody.parse(res.body).errors ?? []).map((e) => [e.field, e.message]));
  }

  const sh = async (node: string, command: string): Promise<string> => (await fleet.sim.exec(node, command)).stdout;

  it('swappiness: its sysctl.d file, sysctl -p, read back live and from the file; facts show it; again only reads', async () => {
    const node = nodes[0];
    const first = await run(node, 'swappiness', { swappiness: 10 });
    expect(first.task.exitstatus).toBe('OK');
    expect(first.ran).toEqual([
      `cat > ${SWAPPINESS_FILE} <<'PVEFLEET_EOF'`,
      `sysctl -p ${SWAPPINESS_FILE}`,
      'sysctl -n vm.swappiness',
      GREP_FILE,
    ]);
    expect(first.log).toContain('vm.swappiness is 60 now: applying 10');
    expect(fleet.sim.readFile(node, SWAPPINESS_FILE)).toBe(
      '# Managed by pvefleet (swappiness task): changes here are overwritten.\nvm.swappiness = 10\n',
    );
    expect(await sh(node, 'sysctl -n vm.swappiness')).toBe('10\n');
    expect((await facts(node)).swappiness).toEqual({ live: 10, settings: [{ path: SWAPPINESS_FILE, value: 10 }] });

    const again = await run(node, 'swappiness', { swappiness: 10 });
    expect(again.task.exitstatus).toBe('OK');
    expect(again.ran).toEqual(['sysctl -n vm.swappiness', GREP_FILE]);
  });

  it('swappiness: a sysctl.d file that a boot applies later is named and refused, nothing written', async () => {
    const node = nodes[1];
    fleet.sim.writeFile(node, '/etc/sysctl.d/99-zz-local.conf', 'vm.swappiness = 30\n');
    await refreshFacts(node);
    expect(await rejected(node, 'swappiness', { swappiness: 10 })).toEqual({
      'params.swappiness': `/etc/sysctl.d/99-zz-local.conf sets vm.swappiness = 30, applied after ${SWAPPINESS_FILE} at boot: remove that line first (pvefleet changes only its own file)`,
    });
    expect(fleet.sim.readFile(node, SWAPPINESS_FILE)).toBeUndefined();
    fleet.sim.removeFile(node, '/etc/sysctl.d/99-zz-local.conf');
    await refreshFacts(node);
  });

  it('zfsarc: zfs.conf keeps its other lines, the limit applies live, both read back; the facts show it', async () => {
    const node = nodes[1];
    fleet.sim.writeFile(node, '/etc/modprobe.d/zfs.conf', 'options zfs zfs_prefetch_disable=1\n');
    const { task, ran, log } = await run(node, 'zfsarc', { zfsArcMax: GIB8 });
    expect(task.exitstatus).toBe('OK');
    expect(ran).toEqual([
      "cat > /etc/modprobe.d/zfs.conf <<'PVEFLEET_EOF'",
      'findmnt -n -o FSTYPE /',
      `echo ${GIB8} > ${ARC_MAX}`,
      `cat ${ARC_MAX}`,
      'cat /etc/modprobe.d/zfs.conf',
    ]);
    expect(log.join('\n')).toContain('update-initramfs -u');
    expect(fleet.sim.readFile(node, '/etc/modprobe.d/zfs.conf')).toBe(
      'options zfs zfs_prefetch_disable=1\noptions zfs zfs_arc_max=8589934592\n',
    );
    expect(await sh(node, `cat ${ARC_MAX}`)).toBe(`${GIB8}\n`);
    expect((await facts(node)).zfsArc).toEqual({
      live: GIB8,
      configured: GIB8,
      conf: 'options zfs zfs_prefetch_disable=1\noptions zfs zfs_arc_max=8589934592\n',
    });
  });

  it("zfsarc on a ZFS root: the seed's update-initramfs -u runs", async () => {
    const node = nodes[2];
    fleet.sim.node(node).rootFs = 'zfs';
    const { task, ran } = await run(node, 'zfsarc', { zfsArcMax: 4294967296 });
    expect(task.exitstatus).toBe('OK');
    expect(ran).toContain('update-initramfs -u');
    expect((await facts(node)).zfsArc).toMatchObject({ live: 4294967296, configured: 4294967296 });
  });

  it('apthold: holds and releases with apt-mark, read back with showhold; the facts show the held set', async () => {
    const node = nodes[0];
    const hold = await run(node, 'apthold', { hold: ['proxmox-ve', 'pve-manager'] });
    expect(hold.task.exitstatus).toBe('OK');
    expect(hold.ran).toEqual(['apt-mark hold proxmox-ve pve-manager', "apt-mark showhold && echo '@@pvefleet-end'"]);
    expect(await sh(node, 'apt-mark showhold')).toBe('proxmox-ve\npve-manager\n');
    expect((await facts(node)).heldPackages).toEqual(['proxmox-ve', 'pve-manager']);

    const release = await run(node, 'apthold', { unhold: ['pve-manager'] });
    expect(release.task.exitstatus).toBe('OK');
    expect((await facts(node)).heldPackages).toEqual(['proxmox-ve']);

    const unknown = await run(node, 'apthold', { hold: ['nosuch-package'] });
    expect(unknown.task.status).toBe('stopped');
    expect(unknown.task.exitstatus).toMatch(/apt-mark hold nosuch-package.*exit code 100/);
  });

  it("metricserver: one node writes the cluster's status.cfg, read back; every node's facts show the servers", async () => {
    const { task, ran } = await run(nodes[0], 'metricserver', { servers: SERVERS });
    expect(task.exitstatus).toBe('OK');
    expect(ran).toEqual(["cat > /etc/pve/status.cfg <<'PVEFLEET_EOF'", 'cat /etc/pve/status.cfg']);
    expect(fleet.sim.readFile(nodes[2], '/etc/pve/status.cfg')).toBe(STATUS_CFG);
    await refreshFacts(nodes[2]);
    expect((await facts(nodes[2])).metricServers).toEqual([
      { type: 'graphite', name: 'graphite1', options: { path: 'proxmox', port: '2003', proto: 'udp', server: '10.0.0.50' } },
      {
        type: 'influxdb',
        name: 'influx1',
        options: { bucket: 'pve', influxdbproto: 'https', port: '8086', server: 'influx.example.com', 'verify-certificate': '0' },
      },
    ]);
    const again = await run(nodes[1], 'metricserver', { servers: SERVERS });
    expect(again.ran).toEqual(['cat /etc/pve/status.cfg']);
  });

  it('metricserver: a node that lost quorum refuses to write, naming the votes', async () => {
    const cluster = fleet.sim.info(nodes[0]).cluster;
    fleet.sim.breakQuorum(cluster);
    try {
      const { task, ran } = await run(nodes[0], 'metricserver', { servers: [] });
      expect(task.exitstatus).toMatch(/is not quorate on this node \(\d+ of \d+ votes\): \/etc\/pve is read-only/);
      expect(ran).toEqual([]);
      expect(fleet.sim.readFile(nodes[0], '/etc/pve/status.cfg')).toBe(STATUS_CFG);
    } finally {
      fleet.sim.restoreQuorum(cluster);
    }
    await refreshFacts(nodes[0]);
  });

  it('bad values: 400 naming the field, as task params and as desired-state fields', async () => {
    const node = nodes[0];
    expect(await rejected(node, 'swappiness', { swappiness: 101 })).toEqual({ 'params.swappiness': 'must be 0-100' });
    expect(await rejected(node, 'zfsarc', { zfsArcMax: 1024 })).toEqual({
      'params.zfsArcMax': 'must be 0 (ZFS default) or at least 67108864 (64 MiB)',
    });
    expect(Object.keys(await rejected(node, 'apthold', { hold: ['pve;reboot'] }))).toEqual(['params.hold.0']);
    expect(Object.keys(await rejected(node, 'metricserver', { servers: [{ type: 'graphite', name: 'g1', server: 'a b' }] }))).toEqual([
      'params.servers.0.server',
    ]);

    const { error, response } = await apiClient(stack).PUT('/api/v1/nodes/{name}/override', {
      params: { path: { name: node } },
      body: { fields: { swappiness: { value: 101 }, heldPackages: { value: ['proxmox-ve', 'x;reboot'] } } },
    });
    expect(response.status, JSON.stringify(error)).toBe(400);
    const fields = (errorBody.parse(error).errors ?? []).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['fields.swappiness.value', 'fields.heldPackages.value.1']));
  });

  it('as desired state: an override drifts with reasons naming values, a reconcile converges it, a second one runs nothing', async () => {
    const node = nodes[2];
    const client = apiClient(stack);
    const put = await client.PUT('/api/v1/nodes/{name}/override', {
      params: { path: { name: node } },
      body: { fields: { swappiness: { value: 5 }, heldPackages: { value: ['pve-manager'] }, zfsArcMax: { value: 2147483648 } } },
    });
    expect(put.response.status, JSON.stringify(put.error)).toBe(200);
    const drift = async () => {
      const { data } = await client.GET('/api/v1/nodes/{name}/drift', { params: { path: { name: node } } });
      const byField: Partial<Record<string, NonNullable<typeof data>['fields'][number]>> = Object.fromEntries(
        (data?.fields ?? []).map((f) => [f.field, f]),
      );
      return byField;
    };
    const before = await eventually(
      async () => {
        const d = await drift();
        return d.swappiness?.status === 'drift' ? d : undefined;
      },
      20_000,
      'swappiness drift',
    );
    expect(before.swappiness?.reason).toBe(
      "vm.swappiness is 60, desired 5; no sysctl.d file sets vm.swappiness: a boot brings back the kernel's 60",
    );
    expect(before.heldPackages).toMatchObject({ status: 'drift', reason: 'not held: pve-manager' });
    expect(before.zfsArcMax).toMatchObject({
      status: 'drift',
      reason: 'zfs_arc_max is 4294967296 (4 GiB), desired 2147483648 (2 GiB); /etc/modprobe.d/zfs.conf sets zfs_arc_max=4294967296',
    });
    expect(before.swappiness?.fix.map((f) => [f.type, f.params])).toEqual([['swappiness', { swappiness: 5 }]]);

    const fields = ['swappiness', 'heldPackages', 'zfsArcMax'];
    const rec = await client.POST('/api/v1/reconcile', { body: { selector: { nodes: [node] }, fields, dryRun: false, confirm: [] } });
    expect(rec.response.status, JSON.stringify(rec.error)).toBe(202);
    const tasks = rec.data?.tasks ?? [];
    expect(tasks.map((t) => [t.field, t.type]).sort()).toEqual([
      ['heldPackages', 'apthold'],
      ['swappiness', 'swappiness'],
      ['zfsArcMax', 'zfsarc'],
    ]);
    for (const t of tasks) expect((await waitForStatus(stack, t.upid ?? '')).exitstatus).toBe('OK');
    await eventually(
      async () => {
        const d = await drift();
        return fields.every((f) => d[f]?.status === 'compliant') ? d : undefined;
      },
      20_000,
      'the fields compliant',
    );
    expect(await sh(node, 'sysctl -n vm.swappiness')).toBe('5\n');
    expect(await sh(node, 'apt-mark showhold')).toBe('pve-manager\n');

    const again = await client.POST('/api/v1/reconcile', { body: { selector: { nodes: [node] }, fields, dryRun: false, confirm: [] } });
    expect(again.data?.tasks).toEqual([]);
    await client.DELETE('/api/v1/nodes/{name}/override', { params: { path: { name: node } } });
  });

  it("metricServers per cluster: a profile's servers drift on every node, one task through one node converges the cluster", async () => {
    const client = apiClient(stack);
    const cluster = fleet.sim.info(nodes[0]).cluster;
    const servers = [{ type: 'influxdb' as const, name: 'influx2', server: '10.0.0.52', port: 8089 }];
    const name = `metrics-${cluster}`;
    const created = await client.POST('/api/v1/profiles', {
      body: { name, selector: { clusters: [cluster] }, fields: { metricServers: { value: servers } } },
    });
    expect(created.response.status, JSON.stringify(created.error)).toBe(201);
    const statusOf = async (node: string) => {
      const { data } = await client.GET('/api/v1/nodes/{name}/drift', { params: { path: { name: node } } });
      return data?.fields.find((f) => f.field === 'metricServers');
    };
    const drifting = await eventually(
      async () => {
        const f = await statusOf(nodes[1]);
        return f?.status === 'drift' ? f : undefined;
      },
      20_000,
      'metricServers drift',
    );
    expect(drifting.reason).toBe('missing influxdb influx2; not declared: graphite graphite1, influxdb influx1');

    const rec = await client.POST('/api/v1/reconcile', {
      body: { selector: { clusters: [cluster] }, fields: ['metricServers'], dryRun: false, confirm: [] },
    });
    expect(rec.response.status, JSON.stringify(rec.error)).toBe(202);
    const tasks = rec.data?.tasks ?? [];
    expect(tasks.map((t) => [t.type, t.params])).toEqual([['metricserver', { servers }]]);
    expect((await waitForStatus(stack, tasks[0].upid ?? '')).exitstatus).toBe('OK');
    expect(fleet.sim.readFile(nodes[0], '/etc/pve/status.cfg')).toBe('influxdb: influx2\n\tport 8089\n\tserver 10.0.0.52\n\n');
    // The other nodes see the shared file at their next facts.
    await Promise.all(nodes.map(refreshFacts));
    for (const node of nodes) {
      await eventually(async () => ((await statusOf(node))?.status === 'compliant' ? true : undefined), 20_000, `${node} compliant`);
    }
    const again = await client.POST('/api/v1/reconcile', {
      body: { selector: { clusters: [cluster] }, fields: ['metricServers'], dryRun: false, confirm: [] },
    });
    expect(again.data?.tasks).toEqual([]);
    await client.DELETE('/api/v1/profiles/{name}', { params: { path: { name } } });
  });
});
