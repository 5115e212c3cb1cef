import { errorBody } from '@pvefleet/contracts';
import type { NodeFacts } from '@pvefleet/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client';
import { TestFleet } from '../support/fleet';
import { Stack } from '../support/stack';
import { eventually, startTask, taskLog, taskTotal, waitForStatus, type TaskJson } from '../support/tasks';

const FAILED_LINES =
  '"SMART overall-health self-assessment test result: FAILED!", "Drive failure expected in less than 24 hours. SAVE ALL DATA.", "No failed Attributes found."';
const DISABLED_LINE = `"SMART Disabled. Use option -s with argument 'on' to enable it."`;
const OVERRIDE = 'not using it (set ignoreSmart: true to use it anyway)';

/**
 * lvmthin and the S.M.A.R.T. gate against the simulated fleet over SSH: the seed's LVM-thin recipe
 * creates a thin pool (read back through lvs) and registers it with pvesm; facts carry every disk's
 * S.M.A.R.T. status; zfscreate and lvmthin refuse a failing or SMART-disabled disk by name, with
 * smartctl's lines: with a 400 when the stored facts know it, with the task's error when only the
 * fresh facts the task reads first do; ignoreSmart lets the disk through; the lvmthinPools field
 * drifts, reconciles only with the disk confirmed, and converges. The node's state is read back
 * through the simulator, not through pvefleet.
 */
describe('lvmthin and the S.M.A.R.T. gate against the simulated fleet', () => {
  let stack: Stack;
  let fleet: TestFleet;
  let nodes: string[];

  beforeAll(async () => {
    [stack, fleet] = await Promise.all([Stack.start({ env: { PVEFLEET_SSH_IDLE_MS: '0' } }), TestFleet.start({ nodes: 2 })]);
    nodes = await fleet.register(stack);
    // On both nodes: sdc fails its self-assessment, sdd has SMART switched off.
    for (const n of nodes) {
      fleet.sim.setSmart(n, 'sdc', 'failing');
      fleet.sim.setSmart(n, 'sdd', 'disabled');
    }
    await Promise.all(nodes.map(refreshFacts));
  });
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- beforeAll may have failed before assigning them
    await Promise.all([stack?.stop(), fleet?.stop()]);
  });

  async function refreshFacts(node: string): Promise<void> {
    expect((await waitForStatus(stack, await startTask(stack, node, 'facts'))).exitstatus).toBe('OK');
  }

  async function storedFacts(node: string): Promise<NodeFacts> {
    const { data, response } = await apiClient(stack).GET('/api/v1/nodes/{name}', { params: { path: { name: node } } });
    expect(response.status).toBe(200);
    if (!data) throw new Error(`no body for node ${node}`);
    return data.facts as NodeFacts;
  }

  /** The disk's `/dev/disk/by-id/` link, as the stored facts know it. */
  async function byId(node: string, path: string): Promise<string> {
    const link = (await storedFacts(node)).disks?.find((d) => d.path === path)?.byId[0];
    if (!link) throw new Error(`no by-id link for ${path} on ${node}`);
    return link;
  }

  async function run(node: string, type: string, params: object): Promise<{ task: TaskJson; ran: string[]; result: unknown }> {
    const task = await waitForStatus(stack, await startTask(stack, node, type, params), 'stopped', 60_000);
    const ran = (await taskLog(stack, task.upid)).map((l) => l.t).filter((l) => l.startsWith('# '));
    const { data } = await apiClient(stack).GET('/api/v1/tasks/{upid}', { params: { path: { upid: task.upid } } });
    return { task, ran: ran.map((l) => l.slice(2)), result: data?.result };
  }

  /** A submission (or dry run) refused with 400: its errors by field. */
  async function rejected(node: string, type: string, params: object, dryRun = false): Promise<Record<string, string>> {
    const res = await stack.http.post(`/nodes/${node}/tasks`, { type, params, dryRun });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    return Object.fromEntries((errorBody.parse(res.body).errors ?? []).map((e) => [e.field, e.message]));
  }

  /** Every thin pool the simulated node has, as `lvs` prints it (name, VG, attributes, size in bytes). */
  async function lvs(node: string): Promise<string[]> {
    const out = await fleet.sim.exec(node, 'lvs --noheadings --units b --nosuffix -o lv_name,vg_name,lv_attr,lv_size');
    return out.stdout
      .split('\n')
      .map((l) => l.trim().split(/\s+/).join(' '))
      .filter(Boolean);
  }

  it("facts show every disk's S.M.A.R.T. status with smartctl's deciding lines, and the node's thin pools", async () => {
    const facts = await storedFacts(nodes[0]);
    expect(facts.disks?.map((d) => [d.path, d.smart?.health])).toEqual([
      ['/dev/sda', 'PASSED'],
      ['/dev/sdb', 'PASSED'],
      ['/dev/sdc', 'FAILED'],
      ['/dev/sdd', 'disabled'],
      ['/dev/nvme0n1', 'PASSED'],
    ]);
    expect(facts.disks?.find((d) => d.path === '/dev/sdc')?.smart?.lines).toEqual([
      'SMART overall-health self-assessment test result: FAILED!',
      'Drive failure expected in less than 24 hours. SAVE ALL DATA.',
      'No failed Attributes found.',
    ]);
    expect(facts.lvm?.thinPools).toEqual([{ vg: 'pve', name: 'data', sizeBytes: 366924611584 }]);
  });

  it('an lvmthin task runs the seed commands, the thin pool reads back through lvs and the storage is registered with pvesm', async () => {
    const node = nodes[0];
    const disk = await byId(node, '/dev/sdb');
    const params = { disk, vgName: 'vmdata', thinPool: 'vmstore', size: '80G', storageId: 'vmstore' };
    const { task, ran, result } = await run(node, 'lvmthin', params);
    expect(task.exitstatus).toBe('OK');
    expect(task.upid).toContain(':lvmthin:vmstore:');
    expect(ran).toEqual([
      `sgdisk -N 1 ${disk}`,
      'udevadm settle',
      `pvcreate --metadatasize 250k -y -ff ${disk}-part1`,
      `vgcreate vmdata ${disk}-part1`,
      'lvcreate -L 80G -T -n vmstore vmdata',
      `pvesm add lvmthin vmstore --vgname vmdata --thinpool vmstore --content images,rootdir --nodes ${node}`,
      'lvs --noheadings --units b --nosuffix -o lv_name,vg_name,lv_attr,lv_size vmdata/vmstore',
      'pvesm status --storage vmstore',
    ]);
    expect(result).toMatchObject({ vg: 'vmdata', thinPool: 'vmstore', created: true, sizeBytes: 85899345920, smart: 'PASSED' });
    expect(await lvs(node)).toContain('vmstore vmdata twi-a-tz-- 85899345920');
    expect(fleet.sim.readFile(node, '/etc/pve/storage.cfg')).toContain(
      `lvmthin: vmstore\n\tvgname vmdata\n\tthinpool vmstore\n\tcontent images,rootdir\n\tnodes ${node}\n`,
    );
    // The facts the task stored afterwards see the pool, its storage, and the disk in use.
    const after = await storedFacts(node);
    expect(after.lvm?.thinPools).toContainEqual({ vg: 'vmdata', name: 'vmstore', sizeBytes: 85899345920 });
    expect(after.storages?.find((s) => s.id === 'vmstore')).toMatchObject({ type: 'lvmthin', status: 'active' });
    expect(after.disks?.find((d) => d.path === '/dev/sdb')?.used).toBe('LVM');

    // The same task again changes nothing: it only reads the pool and the storage back.
    const again = await run(node, 'lvmthin', params);
    expect(again.task.exitstatus).toBe('OK');
    expect(again.ran).toEqual([
      'lvs --noheadings --units b --nosuffix -o lv_name,vg_name,lv_attr,lv_size vmdata/vmstore',
      'pvesm status --storage vmstore',
    ]);
    expect(again.result).toMatchObject({ created: false, sizeBytes: 85899345920 });
  });

  it('a SMART-failing or SMART-disabled disk the stored facts know: 400 naming the disk and the lines, dry run too, nothing queued', async () => {
    const node = nodes[1];
    const before = await taskTotal(stack);
    const zfs = { name: 'tank', raidLevel: 'mirror', devices: ['/dev/sdb', '/dev/sdc'] };
    expect(await rejected(node, 'zfscreate', zfs)).toEqual({
      'params.devices.1': `/dev/sdc fails its S.M.A.R.T. health check: ${FAILED_LINES}; ${OVERRIDE}`,
    });
    expect(await rejected(node, 'zfscreate', zfs, true)).toEqual({
      'params.devices.1': `/dev/sdc fails its S.M.A.R.T. health check: ${FAILED_LINES}; ${OVERRIDE}`,
    });
    const failing = await byId(node, '/dev/sdc');
    expect(await rejected(node, 'lvmthin', { disk: failing, vgName: 'vg1', thinPool: 'pool1', size: '10G' })).toEqual({
      'params.disk': `${failing} (/dev/sdc) fails its S.M.A.R.T. health check: ${FAILED_LINES}; ${OVERRIDE}`,
    });
    const disabled = await byId(node, '/dev/sdd');
    expect(await rejected(node, 'lvmthin', { disk: disabled, vgName: 'vg1', thinPool: 'pool1', size: '10G' }, true)).toEqual({
      'params.disk': `${disabled} (/dev/sdd) has S.M.A.R.T. disabled: ${DISABLED_LINE}; not using it (enable it with smartctl -s on /dev/sdd, or set ignoreSmart: true to use it anyway)`,
    });
    expect(await taskTotal(stack)).toBe(before);
    expect(fleet.sim.state(node).pools).toEqual([]);
  });

  it('a disk that started failing after the last facts: the task reads fresh facts and ends in error naming it, before any command', async () => {
    const node = nodes[1];
    await refreshFacts(node);
    const nvme = await byId(node, '/dev/nvme0n1');
    fleet.sim.setSmart(node, 'sdb', 'failing');
    try {
      const zfs = await run(node, 'zfscreate', { name: 'tank', raidLevel: 'single', devices: ['/dev/sdb'] });
      expect(zfs.task.exitstatus).toBe(
        `invalid parameters: params.devices.0: /dev/sdb fails its S.M.A.R.T. health check: ${FAILED_LINES}; ${OVERRIDE}`,
      );
      expect(zfs.ran).toEqual([]);
      expect(fleet.sim.state(node).pools).toEqual([]);
      // The facts that task read are stored: the next submission on that disk is refused at once.
      expect((await storedFacts(node)).disks?.find((d) => d.path === '/dev/sdb')?.smart?.health).toBe('FAILED');
      expect(Object.keys(await rejected(node, 'zfscreate', { name: 'tank', raidLevel: 'single', devices: ['/dev/sdb'] }))).toEqual([
        'params.devices.0',
      ]);

      fleet.sim.setSmart(node, 'nvme0n1', 'failing');
      const thin = await run(node, 'lvmthin', { disk: nvme, vgName: 'vg2', thinPool: 'pool2', size: '10G' });
      expect(thin.task.exitstatus).toBe(
        `invalid parameters: params.disk: ${nvme} (/dev/nvme0n1) fails its S.M.A.R.T. health check: "SMART overall-health self-assessment test result: FAILED!", "- available spare has fallen below threshold", "- NVM subsystem reliability has been degraded"; ${OVERRIDE}`,
      );
      expect(thin.ran).toEqual([]);
      expect(await lvs(node)).not.toContainEqual(expect.stringContaining('pool2'));
    } finally {
      fleet.sim.setSmart(node, 'sdb', 'healthy');
      fleet.sim.setSmart(node, 'nvme0n1', 'healthy');
      await refreshFacts(node);
    }
  });

  it('ignoreSmart lets the failing disk into a pool and the SMART-disabled one into a thin pool', async () => {
    const node = nodes[1];
    const zfs = await run(node, 'zfscreate', { name: 'tank', raidLevel: 'single', devices: ['/dev/sdc'], ignoreSmart: true });
    expect(zfs.task.exitstatus).toBe('OK');
    expect(zfs.ran[0]).toBe('zpool create -o ashift=12 tank /dev/sdc');
    expect(fleet.sim.state(node).pools.map((p) => p.name)).toEqual(['tank']);
    const disk = await byId(node, '/dev/sdd');
    const thin = await run(node, 'lvmthin', { disk, vgName: 'vg3', thinPool: 'pool3', size: '10G', ignoreSmart: true });
    expect(thin.task.exitstatus).toBe('OK');
    expect(thin.result).toMatchObject({ created: true, smart: 'ignored' });
    expect(await lvs(node)).toContain('pool3 vg3 twi-a-tz-- 10737418240');
  });

  it('desired state: lvmthinPools drifts, a reconcile needs the disk confirmed, then the pool converges and a second reconcile runs nothing', async () => {
    const node = nodes[1];
    const nvme = await byId(node, '/dev/nvme0n1');
    const pool = { disk: nvme, vgName: 'fast', thinPool: 'fastpool', size: '100G', storageId: 'fast' };
    const put = await apiClient(stack).PUT('/api/v1/nodes/{name}/override', {
      params: { path: { name: node } },
      body: { fields: { lvmthinPools: { value: [pool] } } },
    });
    expect(put.response.status, JSON.stringify(put.error)).toBe(200);
    const lvmDrift = async () => {
      const { data } = await apiClient(stack).GET('/api/v1/nodes/{name}/drift', { params: { path: { name: node } } });
      return data?.fields.find((f) => f.field === 'lvmthinPools');
    };
    const drifting = await eventually(async () => {
      const f = await lvmDrift();
      return f?.status === 'drift' ? f : undefined;
    });
    expect(drifting.reason).toBe('thin pool fast/fastpool does not exist');
    expect(drifting.fix).toMatchObject([{ type: 'lvmthin', destroys: [nvme] }]);

    const refused = await apiClient(stack).POST('/api/v1/reconcile', { body: { selector: { nodes: [node] } } });
    expect(refused.response.status).toBe(409);
    expect(refused.error?.message).toContain(`${node} (lvmthinPools): ${nvme}`);

    const run = await apiClient(stack).POST('/api/v1/reconcile', {
      body: { selector: { nodes: [node] }, confirm: [{ node, devices: [nvme] }] },
    });
    expect(run.response.status, JSON.stringify(run.error)).toBe(202);
    expect(run.data?.tasks).toMatchObject([{ node, field: 'lvmthinPools', type: 'lvmthin', destroys: [nvme] }]);
    const upid = run.data?.tasks[0]?.upid;
    if (!upid) throw new Error('no task for the thin pool');
    expect((await waitForStatus(stack, upid, 'stopped', 60_000)).exitstatus).toBe('OK');
    expect(await lvs(node)).toContain('fastpool fast twi-a-tz-- 107374182400');

    // The task's own facts refresh makes the field compliant; a second reconcile creates no task.
    await eventually(async () => ((await lvmDrift())?.status === 'compliant' ? true : undefined));
    const again = await apiClient(stack).POST('/api/v1/reconcile', {
      body: { selector: { nodes: [node] }, confirm: [{ node, devices: [nvme] }] },
    });
    expect(again.response.status, JSON.stringify(again.error)).toBe(202);
    expect(again.data?.tasks).toEqual([]);
  });
});
