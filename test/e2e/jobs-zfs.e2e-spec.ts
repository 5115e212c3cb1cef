import { errorBody } from '@pvefleet/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dataHdd } from '../../apps/simulator/src/model/disks';
import { apiClient } from '../support/api-client';
import { TestFleet } from '../support/fleet';
import { Stack } from '../support/stack';
import { startTask, taskLog, waitForStatus, type TaskJson } from '../support/tasks';

/**
 * zfscreate against the simulator: every raid level, cache/log devices, storage registration,
 * the idempotent re-run, devices in use (known from stored facts, or only from fresh ones),
 * names ZFS rejects, dry runs and the fleet form, and the storage registered for the nodes that
 * have the pool only (three nodes, one cluster). The node's state is read back through the
 * simulator, not through pvefleet.
 */
describe('zfscreate against the simulated fleet', () => {
  let stack: Stack;
  let fleet: TestFleet;
  let nodes: string[];

  beforeAll(async () => {
    [stack, fleet] = await Promise.all([Stack.start({ env: { PVEFLEET_SSH_IDLE_MS: '0' } }), TestFleet.start({ nodes: 3 })]);
    nodes = await fleet.register(stack);
    // Two more empty HDDs per node (sde, sdf): raidz3 needs five disks, the default node has four.
    nodes.forEach((n, i) => fleet.sim.node(n).disks.push(dataHdd('sde', i, 5), dataHdd('sdf', i, 6)));
    await Promise.all(nodes.map(refreshFacts));
  });
  afterEach(async () => {
    for (const n of nodes) {
      fleet.sim.clearFaults(n);
      for (const pool of fleet.sim.state(n).pools) await fleet.sim.exec(n, `zpool destroy ${pool.name}`);
      for (const disk of ['sdb', 'sdc', 'sdd', 'sde', 'sdf', 'nvme0n1']) fleet.sim.setDiskState(n, disk, {});
    }
    for (const s of fleet.sim.state(nodes[0]).storage.filter((e) => e.type === 'zfspool'))
      await fleet.sim.exec(nodes[0], `pvesm remove ${s.id}`);
    // Submissions plan from stored facts: keep them in step with the cleaned-up nodes.
    await Promise.all(nodes.map(refreshFacts));
  });
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- beforeAll may have failed before assigning them
    await Promise.all([stack?.stop(), fleet?.stop()]);
  });

  /** What zfscreate returns; the tests match the rest of it as an object. */
  interface ZfsCreateResult {
    layout: { vdevs: { type: string; devices: string[] }[] };
  }

  /** A zfscreate plan as a dry run shows it. */
  interface ZfsPlan {
    notes: string[];
    steps: { command: string; onlyIf?: string }[];
  }

  async function refreshFacts(node: string): Promise<void> {
    expect((await waitForStatus(stack, await startTask(stack, node, 'facts'))).exitstatus).toBe('OK');
  }

  async function zfscreate(
    node: string,
    params: object,
  ): Promise<{ task: TaskJson; log: string[]; ran: string[]; result: ZfsCreateResult | null }> {
    const task = await waitForStatus(stack, await startTask(stack, node, 'zfscreate', params));
    const log = (await taskLog(stack, task.upid)).map((l) => l.t);
    const { data: detail } = await apiClient(stack).GET('/api/v1/tasks/{upid}', { params: { path: { upid: task.upid } } });
    if (!detail) throw new Error(`no detail for task ${task.upid}`);
    const result = detail.result as ZfsCreateResult | null;
    return { task, log, ran: log.filter((l) => l.startsWith('# ')).map((l) => l.slice(2)), result };
  }

  /** A submission refused with 400: its errors by field. */
  async function rejected(node: string, params: object): Promise<Record<string, string>> {
    const res = await stack.http.post(`/nodes/${node}/tasks`, { type: 'zfscreate', params });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    return Object.fromEntries((errorBody.parse(res.body).errors ?? []).map((e) => [e.field, e.message]));
  }

  /** How often the node ran a program; a key is missing until it ran once. */
  const runs = (node: string, program: string): number => {
    const commands: Partial<Record<string, number>> = fleet.sim.counters(node).commands;
    return commands[program] ?? 0;
  };
  const zpoolRuns = (node: string) => runs(node, 'zpool');

  it.each([
    ['single', ['/dev/sdb'], '/dev/sdb', [{ type: 'disk', devices: ['sdb'] }]],
    ['mirror', ['/dev/sdb', '/dev/sdc'], 'mirror /dev/sdb /dev/sdc', [{ type: 'mirror', devices: ['sdb', 'sdc'] }]],
    [
      'raid10',
      ['/dev/sdb', '/dev/sdc', '/dev/sdd', '/dev/sde'],
      'mirror /dev/sdb /dev/sdc mirror /dev/sdd /dev/sde',
      [
        { type: 'mirror', devices: ['sdb', 'sdc'] },
        { type: 'mirror', devices: ['sdd', 'sde'] },
      ],
    ],
    [
      'raidz',
      ['/dev/sdb', '/dev/sdc', '/dev/sdd'],
      'raidz /dev/sdb /dev/sdc /dev/sdd',
      [{ type: 'raidz1', devices: ['sdb', 'sdc', 'sdd'] }],
    ],
    [
      'raidz2',
      ['/dev/sdb', '/dev/sdc', '/dev/sdd', '/dev/sde'],
      'raidz2 /dev/sdb /dev/sdc /dev/sdd /dev/sde',
      [{ type: 'raidz2', devices: ['sdb', 'sdc', 'sdd', 'sde'] }],
    ],
    [
      'raidz3',
      ['/dev/sdb', '/dev/sdc', '/dev/sdd', '/dev/sde', '/dev/sdf'],
      'raidz3 /dev/sdb /dev/sdc /dev/sdd /dev/sde /dev/sdf',
      [{ type: 'raidz3', devices: ['sdb', 'sdc', 'sdd', 'sde', 'sdf'] }],
    ],
  ])('creates a %s pool and the node has exactly that layout', async (raidLevel, devices, vdevSpec, vdevs) => {
    const name = `z${raidLevel}`;
    const { task, ran, result } = await zfscreate(nodes[0], { name, raidLevel, devices });
    expect(task.exitstatus).toBe('OK');
    expect(task.upid).toContain(`:zfscreate:${name}:`);
    expect(ran[0]).toBe(`zpool create -o ashift=12 ${name} ${vdevSpec}`);
    const pool = fleet.sim.state(nodes[0]).pools.find((p) => p.name === name);
    expect(pool).toMatchObject({ vdevs, ashift: 12, health: 'ONLINE', properties: { compression: 'on' } });
    expect(result).toMatchObject({ pool: name, created: true, health: 'ONLINE', ashift: 12, compression: 'on', storage: null });
    expect(result?.layout.vdevs).toEqual(vdevs.map((v) => ({ type: v.type, devices: v.devices.map((d) => `/dev/${d}`) })));
  });

  it('cache and log devices, by-id paths, ashift, compression and the storage registration', async () => {
    const disks = JSON.parse((await fleet.sim.exec(nodes[0], 'pvesh get /nodes/localhost/disks/list --output-format json')).stdout) as {
      devpath: string;
      by_id_link: string;
    }[];
    const sdb = disks.find((d) => d.devpath === '/dev/sdb')!.by_id_link;
    const params = {
      name: 'tank',
      raidLevel: 'mirror',
      devices: [sdb, '/dev/sdc'],
      cache: ['/dev/nvme0n1'],
      log: ['/dev/sdd'],
      ashift: 13,
      compression: 'lz4',
      addStorage: true,
    };
    const { task, ran, log, result } = await zfscreate(nodes[0], params);
    expect(task.exitstatus).toBe('OK');
    expect(ran).toEqual([
      'cat /etc/pve/storage.cfg',
      `zpool create -o ashift=13 tank mirror ${sdb} /dev/sdc cache /dev/nvme0n1 log /dev/sdd`,
      'zfs set compression=lz4 tank',
      `pvesm add zfspool tank --pool tank --content images,rootdir --nodes ${nodes[0]}`,
      'zpool list -H -o name,health tank',
      'zpool status -P tank',
      'zpool get -H ashift tank',
      'zfs get -H -o value compression tank',
      'pvesm status',
    ]);
    expect(log).toContain(`skipped 'pvesm set tank --nodes <its nodes>,${nodes[0]}; cat /etc/pve/storage.cfg': nothing to do`);
    const state = fleet.sim.state(nodes[0]);
    expect(state.pools).toHaveLength(1);
    expect(state.pools[0]).toMatchObject({ name: 'tank', ashift: 13, properties: { compression: 'lz4' } });
    expect(state.pools[0].vdevs).toEqual([{ type: 'mirror', devices: ['sdb', 'sdc'] }]);
    const status = (await fleet.sim.exec(nodes[0], 'zpool status tank')).stdout;
    expect(status).toMatch(/\tlogs\t\n\t {2}sdd +ONLINE/);
    expect(status).toMatch(/\tcache\n\t {2}nvme0n1 +ONLINE/);
    expect(state.disks.filter((d) => d.used === 'ZFS').map((d) => d.name)).toEqual(['sdb', 'sdc', 'sdd', 'nvme0n1']);
    expect(state.storage).toContainEqual({
      type: 'zfspool',
      id: 'tank',
      props: { pool: 'tank', content: 'images,rootdir', nodes: nodes[0] },
    });
    expect(result).toMatchObject({
      layout: { vdevs: [{ type: 'mirror', devices: ['/dev/sdb', '/dev/sdc'] }], cache: ['/dev/nvme0n1'], log: ['/dev/sdd'] },
      storage: { id: 'tank', added: true, type: 'zfspool', status: 'active' },
    });

    // The same job again: the end state holds, so nothing is created and the log says why.
    const again = await zfscreate(nodes[0], params);
    expect(again.task.exitstatus).toBe('OK');
    expect(again.log).toContain(
      'pool tank already exists with the requested layout (mirror(/dev/sdb /dev/sdc), cache /dev/nvme0n1, log /dev/sdd): not creating it, only verifying',
    );
    expect(again.ran.some((c) => c.startsWith('zpool create') || c.startsWith('pvesm add') || c.startsWith('zfs set'))).toBe(false);
    expect(again.log.filter((l) => l.startsWith('skipped '))).toEqual([
      "skipped 'zfs set compression=lz4 tank': only if compression is not lz4 yet",
      `skipped 'pvesm add zfspool tank --pool tank --content images,rootdir --nodes ${nodes[0]}': only if /etc/pve/storage.cfg does not define storage tank yet`,
      "skipped 'cat /etc/pve/storage.cfg': only if pvesm add failed (another node may have registered the storage meanwhile)",
      `skipped 'pvesm set tank --nodes <its nodes>,${nodes[0]}; cat /etc/pve/storage.cfg': nothing to do`,
    ]);
    expect(again.result).toMatchObject({ created: false, compressionChanged: false, storage: { added: false, status: 'active' } });
    expect(fleet.sim.state(nodes[0]).storage.filter((s) => s.id === 'tank')).toHaveLength(1);

    // The same name with another layout is refused from the facts that task just stored.
    expect(await rejected(nodes[0], { name: 'tank', raidLevel: 'single', devices: ['/dev/sde'] })).toEqual({
      'params.name': `pool tank already exists on ${nodes[0]} with another layout: mirror(/dev/sdb /dev/sdc), cache /dev/nvme0n1, log /dev/sdd (requested /dev/sde)`,
    });
  });

  it('a device in use is refused at submission when the stored facts know it', async () => {
    fleet.sim.setDiskState(nodes[0], 'sdc', { fstype: 'ext4' });
    expect((await fleet.sim.exec(nodes[0], 'zpool create other /dev/sdd')).code).toBe(0);
    await refreshFacts(nodes[0]);
    const before = zpoolRuns(nodes[0]);
    expect(await rejected(nodes[0], { name: 'tank', raidLevel: 'raidz', devices: ['/dev/sdb', '/dev/sdc', '/dev/sdd'] })).toEqual({
      'params.devices.1': '/dev/sdc is in use (ext4)',
      'params.devices.2': '/dev/sdd is in use (ZFS)',
    });
    expect(await rejected(nodes[0], { name: 'tank', raidLevel: 'mirror', devices: ['/dev/sdb', '/dev/sdz'] })).toEqual({
      'params.devices.1': `/dev/sdz does not exist on ${nodes[0]}`,
    });
    expect(zpoolRuns(nodes[0])).toBe(before);
  });

  it('force: zpool create -f overwrites a leftover filesystem signature, never a disk of a pool', async () => {
    fleet.sim.setDiskState(nodes[0], 'sdb', { fstype: 'ext4' });
    expect((await fleet.sim.exec(nodes[0], 'zpool create other /dev/sdd')).code).toBe(0);
    await refreshFacts(nodes[0]);
    expect(await rejected(nodes[0], { name: 'tank', raidLevel: 'mirror', devices: ['/dev/sdb', '/dev/sdd'], force: true })).toEqual({
      'params.devices.1': '/dev/sdd is in use (ZFS)',
    });
    const { task, log, ran } = await zfscreate(nodes[0], {
      name: 'tank',
      raidLevel: 'mirror',
      devices: ['/dev/sdb', '/dev/sdc'],
      force: true,
    });
    expect(task.exitstatus).toBe('OK');
    expect(log).toContain('force: zpool create -f overwrites the signature on /dev/sdb (ext4)');
    expect(ran[0]).toBe('zpool create -f -o ashift=12 tank mirror /dev/sdb /dev/sdc');
    expect(
      fleet.sim
        .state(nodes[0])
        .pools.map((p) => p.name)
        .sort(),
    ).toEqual(['other', 'tank']);
  });

  it('a device that changed after the last facts: the task reads fresh ones and stops before any command', async () => {
    await refreshFacts(nodes[1]);
    fleet.sim.setDiskState(nodes[1], 'sdc', { fstype: 'xfs' });
    const zfsBefore = runs(nodes[1], 'zfs');
    const { task, log, ran } = await zfscreate(nodes[1], { name: 'tank', raidLevel: 'mirror', devices: ['/dev/sdb', '/dev/sdc'] });
    expect(task.exitstatus).toBe('invalid parameters: params.devices.1: /dev/sdc is in use (xfs)');
    // Only the read-only facts script ran (its zpool list/status), no command of the plan.
    expect(log).toContain('reading node facts (read-only)');
    expect(ran).toEqual([]);
    expect(runs(nodes[1], 'zfs')).toBe(zfsBefore);
    expect(fleet.sim.state(nodes[1]).pools).toEqual([]);
  });

  it('names ZFS rejects and too few disks: 400 naming the field, nothing queued; zpool itself agrees', async () => {
    const totalTasks = async () => {
      const { data } = await apiClient(stack).GET('/api/v1/tasks', { params: { query: { limit: 1 } } });
      if (!data) throw new Error('no task list');
      return data.total;
    };
    const before = await totalTasks();
    for (const name of ['mirror1', 'raidz', 'draid0', 'spare', 'log', 'c0d0'])
      expect(Object.keys(await rejected(nodes[0], { name, raidLevel: 'single', devices: ['/dev/sdb'] }))).toEqual(['params.name']);
    for (const name of ['1tank', 'tank;reboot', '$(reboot)', '`reboot`', 'tank\nreboot', "ta'nk", '../tank', 'x'.repeat(300)]) {
      expect(Object.keys(await rejected(nodes[0], { name, raidLevel: 'single', devices: ['/dev/sdb'] }))).toEqual(['params.name']);
    }
    for (const dev of ['/dev/sdb;reboot', '/dev/$(id)', '/dev/../etc/passwd', '/dev/sd b']) {
      expect(
        Object.keys(await rejected(nodes[0], { name: 'tank', raidLevel: 'mirror', devices: ['/dev/sdc', dev], cache: [dev], log: [dev] })),
      ).toEqual(expect.arrayContaining(['params.devices.1', 'params.cache.0', 'params.log.0']));
    }
    expect(await rejected(nodes[0], { name: 'tank', raidLevel: 'raidz2', devices: ['/dev/sdb', '/dev/sdc', '/dev/sdd'] })).toEqual({
      'params.devices': 'raidz2 needs at least 4 disks',
    });
    expect(
      await rejected(nodes[0], {
        name: 'tank',
        raidLevel: 'raid10',
        devices: ['/dev/sdb', '/dev/sdc', '/dev/sdd', '/dev/sde', '/dev/sdf'],
      }),
    ).toEqual({ 'params.devices': 'raid10 needs an even number of disks' });
    expect(await totalTasks()).toBe(before);
    expect(await fleet.sim.exec(nodes[0], 'zpool create mirror1 /dev/sdb')).toMatchObject({
      code: 1,
      stderr: "cannot create 'mirror1': name is reserved\n",
    });
    expect(await fleet.sim.exec(nodes[0], 'zpool create c0d0 /dev/sdb')).toMatchObject({
      code: 1,
      stderr: "cannot create 'c0d0': pool name is reserved\n",
    });
  });

  it('a failure after zpool create says what exists now', async () => {
    fleet.sim.addCommandFault(nodes[0], {
      match: 'zfs set compression',
      action: { kind: 'fail', exitCode: 1, stderr: "cannot set property for 'tank': permission denied\n" },
    });
    const { task, log } = await zfscreate(nodes[0], {
      name: 'tank',
      raidLevel: 'mirror',
      devices: ['/dev/sdb', '/dev/sdc'],
      addStorage: true,
    });
    expect(task.exitstatus).toBe(
      `command 'zfs set compression=on tank' failed: exit code 1 - pool tank was created on ${nodes[0]} and exists now (mirror(/dev/sdb /dev/sdc)); compression not set to on; storage tank not added`,
    );
    expect(log).toContain("cannot set property for 'tank': permission denied");
    expect(fleet.sim.state(nodes[0]).pools.map((p) => p.name)).toEqual(['tank']);
  });

  it('dry run: the plan from stored facts, nothing runs', async () => {
    await refreshFacts(nodes[0]);
    const before = zpoolRuns(nodes[0]);
    const params = { name: 'tank', raidLevel: 'raidz', devices: ['/dev/sdb', '/dev/sdc', '/dev/sdd'], addStorage: true };
    const res = await apiClient(stack).POST('/api/v1/nodes/{name}/tasks', {
      params: { path: { name: nodes[0] } },
      body: { type: 'zfscreate', params, dryRun: true },
    });
    expect(res.response.status, JSON.stringify(res.error ?? res.data)).toBe(200);
    if (!res.data || !('plans' in res.data)) throw new Error(`not a dry run: ${JSON.stringify(res.data)}`);
    const [planned] = res.data.plans;
    expect(planned).toMatchObject({ node: nodes[0], type: 'zfscreate', id: 'tank', mutating: true });
    const plan = planned.plan as ZfsPlan;
    expect(plan.notes).toContain(
      `pool tank does not exist on ${nodes[0]}: creating it as raidz1(/dev/sdb /dev/sdc /dev/sdd), ashift 12, compression on`,
    );
    expect(plan.steps.map((s) => s.command).slice(0, 4)).toEqual([
      'cat /etc/pve/storage.cfg',
      'zpool create -o ashift=12 tank raidz /dev/sdb /dev/sdc /dev/sdd',
      'zfs set compression=on tank',
      `pvesm add zfspool tank --pool tank --content images,rootdir --nodes ${nodes[0]}`,
    ]);
    expect(plan.steps[3].onlyIf).toBe('/etc/pve/storage.cfg does not define storage tank yet');
    expect(zpoolRuns(nodes[0])).toBe(before);
    expect(fleet.sim.state(nodes[0]).pools).toEqual([]);
  });

  /** The cluster's `tank` entries, and whether each node's `pvesm status` lists `tank`. */
  async function tankStorage(): Promise<{ entries: unknown[]; listedOn: string[] }> {
    const listedOn: string[] = [];
    for (const n of nodes) if (/^tank\s/m.test((await fleet.sim.exec(n, 'pvesm status')).stdout)) listedOn.push(n);
    return { entries: fleet.sim.state(nodes[0]).storage.filter((s) => s.id === 'tank'), listedOn };
  }

  it('the fleet form: one pool per node, one storage entry in the cluster for exactly those nodes', async () => {
    const params = { name: 'tank', raidLevel: 'mirror', devices: ['/dev/sdb', '/dev/sdc'], addStorage: true };
    const two = nodes.slice(0, 2);
    const res = await apiClient(stack).POST('/api/v1/tasks', { body: { selector: { nodes: two }, type: 'zfscreate', params } });
    expect(res.response.status, JSON.stringify(res.error ?? res.data)).toBe(202);
    if (!res.data || !('tasks' in res.data)) throw new Error(`no tasks in ${JSON.stringify(res.data)}`);
    const tasks = await Promise.all(res.data.tasks.map((t) => waitForStatus(stack, t.upid)));
    expect(tasks.map((t) => t.exitstatus)).toEqual(['OK', 'OK']);
    for (const n of two) {
      expect(fleet.sim.state(n).pools).toEqual([
        expect.objectContaining({ name: 'tank', vdevs: [{ type: 'mirror', devices: ['sdb', 'sdc'] }] }),
      ]);
      expect((await fleet.sim.exec(n, 'pvesm status')).stdout).toMatch(/^tank\s+zfspool\s+active/m);
    }
    const { entries, listedOn } = await tankStorage();
    expect(entries).toHaveLength(1);
    const entry = entries[0] as { props: { nodes: string } };
    // The nodes, in any order, checked next.
    expect(entry).toEqual({ type: 'zfspool', id: 'tank', props: { pool: 'tank', content: 'images,rootdir', nodes: entry.props.nodes } });
    expect(entry.props.nodes).toBeTypeOf('string');
    expect(entry.props.nodes.split(',').sort()).toEqual([...two].sort());
    expect(listedOn).toEqual(two);
  });

  it('the same pool on a second node of the cluster: that node is added to the storage, the third node never sees it', async () => {
    const params = { name: 'tank', raidLevel: 'mirror', devices: ['/dev/sdb', '/dev/sdc'], addStorage: true };
    const first = await zfscreate(nodes[0], params);
    expect(first.task.exitstatus).toBe('OK');
    expect(first.ran).toContain(`pvesm add zfspool tank --pool tank --content images,rootdir --nodes ${nodes[0]}`);
    expect(await tankStorage()).toEqual({
      entries: [{ type: 'zfspool', id: 'tank', props: { pool: 'tank', content: 'images,rootdir', nodes: nodes[0] } }],
      listedOn: [nodes[0]],
    });

    const second = await zfscreate(nodes[1], params);
    expect(second.task.exitstatus).toBe('OK');
    expect(second.ran.some((c) => c.startsWith('pvesm add'))).toBe(false);
    expect(second.ran).toContain(`pvesm set tank --nodes ${nodes[0]},${nodes[1]}; cat /etc/pve/storage.cfg`);
    expect(second.result).toMatchObject({ storage: { id: 'tank', added: false, nodeAdded: true, type: 'zfspool', status: 'active' } });
    expect(await tankStorage()).toEqual({
      entries: [{ type: 'zfspool', id: 'tank', props: { pool: 'tank', content: 'images,rootdir', nodes: `${nodes[0]},${nodes[1]}` } }],
      listedOn: [nodes[0], nodes[1]],
    });
  });

  it('a storage id of every node is left alone; one for another pool stops the task before zpool create', async () => {
    const cfg = fleet.sim.readFile(nodes[0], '/etc/pve/storage.cfg')!;
    fleet.sim.writeFile(nodes[0], '/etc/pve/storage.cfg', `${cfg}zfspool: tank\n\tpool tank\n\tcontent images,rootdir\n\n`);
    const params = { name: 'tank', raidLevel: 'mirror', devices: ['/dev/sdb', '/dev/sdc'], addStorage: true };
    const all = await zfscreate(nodes[1], params);
    expect(all.task.exitstatus).toBe('OK');
    expect(all.ran.some((c) => c.startsWith('pvesm add') || c.startsWith('pvesm set'))).toBe(false);
    expect((await tankStorage()).entries).toEqual([{ type: 'zfspool', id: 'tank', props: { pool: 'tank', content: 'images,rootdir' } }]);

    fleet.sim.writeFile(nodes[0], '/etc/pve/storage.cfg', `${cfg}zfspool: vmdata\n\tpool other\n\tcontent images\n\tnodes ${nodes[1]}\n\n`);
    const other = await zfscreate(nodes[0], { ...params, storageId: 'vmdata' });
    expect(other.task.exitstatus).toBe('storage vmdata already exists for ZFS pool other, not tank; nothing was created');
    expect(other.ran).toEqual(['cat /etc/pve/storage.cfg']);
    expect(fleet.sim.state(nodes[0]).pools).toEqual([]);
    fleet.sim.writeFile(nodes[0], '/etc/pve/storage.cfg', cfg);
  });
});
