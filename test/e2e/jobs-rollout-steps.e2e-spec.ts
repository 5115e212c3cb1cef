import { errorBody } from '@pvefleet/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client';
import { TestFleet } from '../support/fleet';
import { Stack } from '../support/stack';
import { eventually, startTask, taskLog, waitForStatus, type TaskJson } from '../support/tasks';

/**
 * The steps a rolling upgrade is made of, each a task of its own, against a simulated 5-node
 * cluster with hyper-converged Ceph: pre-flight checks, HA maintenance, evacuation, noout, health
 * after a reboot and the major-upgrade checklist. What the tasks claim is read back through the
 * simulator, never through pvefleet.
 */
describe('rolling-upgrade steps against the simulated fleet', () => {
  let stack: Stack;
  let fleet: TestFleet;
  let nodes: string[];
  let cluster: string;

  beforeAll(async () => {
    [stack, fleet] = await Promise.all([
      Stack.start({ env: { PVEFLEET_SSH_IDLE_MS: '0' } }),
      // A reboot long enough that a task started while a node is down sees it down.
      TestFleet.start({ nodes: 5, ceph: true, sim: { haDelayMs: 20, migrationDelayMs: 5, rebootDelayMs: 1_500 } }),
    ]);
    nodes = await fleet.register(stack);
    cluster = fleet.sim.info(nodes[0]).cluster;
  });
  afterEach(async () => {
    fleet.sim.restoreQuorum(cluster);
    for (const n of nodes) {
      fleet.sim.clearFaults(n);
      if (fleet.sim.state(n).power !== 'online') await fleet.sim.setOnline(n, { reboot: false });
    }
  });
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- beforeAll may have failed before assigning them
    await Promise.all([stack?.stop(), fleet?.stop()]);
  });

  async function run(
    node: string,
    type: string,
    params: object = {},
  ): Promise<{ task: TaskJson; log: string[]; result: Record<string, unknown> | null }> {
    const task = await waitForStatus(stack, await startTask(stack, node, type, params), 'stopped', 45_000);
    const log = (await taskLog(stack, task.upid)).map((l) => l.t);
    const { data: detail } = await apiClient(stack).GET('/api/v1/tasks/{upid}', { params: { path: { upid: task.upid } } });
    if (!detail) throw new Error(`no detail for task ${task.upid}`);
    // Every kind here returns an object, or null when it has no result.
    return { task, log, result: (detail.result ?? null) as Record<string, unknown> | null };
  }
  const where = (vmid: number) => nodes.find((n) => fleet.sim.state(n).guests.some((g) => g.vmid === vmid));

  describe('clustercheck', () => {
    it('passes on a healthy cluster and records what it read', async () => {
      const { task, result } = await run(nodes[0], 'clustercheck');
      expect(task.exitstatus).toBe('OK');
      expect(task.upid).toContain(':clustercheck::');
      expect(result).toMatchObject({
        healthy: true,
        standalone: false,
        cluster: { name: cluster, quorate: true, expectedVotes: 5, totalVotes: 5 },
        ha: { quorumOk: true, masterState: 'active' },
        ceph: { health: 'HEALTH_OK' },
      });
      expect(result!.nodes).toEqual(nodes.map((name) => ({ name, online: true })));
    });

    it('fails naming a lost quorum', async () => {
      fleet.sim.breakQuorum(cluster);
      const { task } = await run(nodes[1], 'clustercheck');
      expect(task.exitstatus).toMatch(new RegExp(`^cluster ${cluster} is not quorate \\(1 of 5 votes\\); `));
      expect(task.exitstatus).toContain('HA manager has no quorum');
    });

    it('waits out a brief quorum loss when asked to', async () => {
      fleet.sim.breakQuorum(cluster);
      const upid = await startTask(stack, nodes[1], 'clustercheck', { waitSeconds: 30 });
      await waitForStatus(stack, upid, 'running');
      setTimeout(() => {
        fleet.sim.restoreQuorum(cluster);
      }, 1_500);
      const task = await waitForStatus(stack, upid, 'stopped', 40_000);
      expect(task.exitstatus).toBe('OK');
      expect((await taskLog(stack, upid)).map((l) => l.t)).toContainEqual(expect.stringMatching(/^cluster healthy: after \d+ attempts$/));
    });

    it('gives up after waitSeconds, naming what was still wrong', async () => {
      fleet.sim.breakQuorum(cluster);
      const { task } = await run(nodes[1], 'clustercheck', { waitSeconds: 2 });
      expect(task.exitstatus).toMatch(
        new RegExp(`^cluster healthy \\(last check: cluster ${cluster} is not quorate \\(1 of 5 votes\\); .*\\): not reached within 2 s`),
      );
    });

    it('names an offline member and what Ceph says about it', async () => {
      fleet.sim.setOffline(nodes[4]);
      const { task } = await run(nodes[0], 'clustercheck');
      expect(task.exitstatus).toContain(`cluster ${cluster} has 4 of 5 expected votes; node ${nodes[4]} is offline; ceph is HEALTH_WARN: `);
      expect(task.exitstatus).toContain('2 osds down');
    });
  });

  describe('hamaintenance', () => {
    it('enable moves the HA guests off the node; disable brings it back and records pveversion', async () => {
      const node = nodes[1];
      const haVm = fleet.sim.state(node).guests.find((g) => g.ha)!.vmid;

      const on = await run(node, 'hamaintenance', { node, enable: true, waitSeconds: 30 });
      expect(on.task.exitstatus).toBe('OK');
      expect(on.task.upid).toContain(`:hamaintenance:${node}:`);
      expect(fleet.sim.state(node).maintenance).toBe(true);
      expect(where(haVm)).not.toBe(node);
      expect(fleet.sim.state(node).guests.filter((g) => g.ha)).toEqual([]);
      expect(on.result).toMatchObject({ node, maintenance: true, changed: true, movedServices: [{ sid: `vm:${haVm}`, to: where(haVm) }] });

      const again = await run(node, 'hamaintenance', { node, enable: true, waitSeconds: 30 });
      expect(again.task.exitstatus).toBe('OK');
      expect(again.log).toContain(
        `skipped 'ha-manager crm-command node-maintenance enable ${node}': only if ${node} is not in maintenance mode yet`,
      );
      expect(again.result).toMatchObject({ changed: false });

      const off = await run(node, 'hamaintenance', { node, enable: false, waitSeconds: 30 });
      expect(off.task.exitstatus).toBe('OK');
      expect(fleet.sim.state(node).maintenance).toBe(false);
      expect(off.result).toMatchObject({ node, maintenance: false, changed: true, pveManagerVersion: fleet.sim.state(node).pveVersion });
      expect(off.result!.pveversion).toMatch(/^pve-manager\/\S+\/\S+ \(running kernel: \S+\)$/);
      await eventually(() => Promise.resolve(where(haVm) === node ? true : undefined), 5_000, 'the HA guest to return');
    });

    it('fails naming the HA service that does not leave', async () => {
      const node = nodes[2];
      const haVm = fleet.sim.state(node).guests.find((g) => g.ha)!.vmid;
      fleet.sim.failMigration(haVm);
      try {
        const { task } = await run(node, 'hamaintenance', { node, enable: true, waitSeconds: 2 });
        expect(task.exitstatus).toMatch(
          new RegExp(
            `^${node} in maintenance mode with no HA service on it \\(last check: HA services still on ${node}: vm:${haVm} \\(\\w+\\)\\): not reached within 2 s`,
          ),
        );
        expect(where(haVm)).toBe(node);
      } finally {
        fleet.sim.clearMigrationFailure(haVm);
        expect((await run(node, 'hamaintenance', { node, enable: false, waitSeconds: 30 })).task.exitstatus).toBe('OK');
      }
    });
  });

  describe('migrateall', () => {
    it('moves every guest to the target', async () => {
      const [from, to] = [nodes[2], nodes[3]];
      const guests = fleet.sim.state(from).guests.map((g) => g.vmid);
      expect(guests.length).toBeGreaterThan(0);
      const { task, result, log } = await run(from, 'migrateall', { target: to, maxWorkers: 2, waitSeconds: 30 });
      expect(task.exitstatus).toBe('OK');
      expect(task.upid).toContain(`:migrateall:${to}:`);
      expect(log).toContain(`# pvenode migrateall ${to} --max-workers 2`);
      expect(fleet.sim.state(from).guests).toEqual([]);
      expect(guests.every((vmid) => where(vmid) === to)).toBe(true);
      expect((result!.moved as { vmid: number }[]).map((g) => g.vmid).sort()).toEqual([...guests].sort());
      expect(result!.left).toEqual([]);
    });

    it('fails naming a guest that did not migrate, which stays on the node', async () => {
      const node = nodes[0];
      const stuck = fleet.sim.state(node).guests.find((g) => !g.ha && g.status === 'running')!;
      fleet.sim.failMigration(stuck.vmid);
      try {
        const { task } = await run(node, 'migrateall', { target: nodes[3], waitSeconds: 2 });
        expect(task.exitstatus).toContain(
          `still running here: ${stuck.type === 'qemu' ? 'VM' : 'CT'} ${stuck.vmid} (running); the node was not upgraded`,
        );
        expect(where(stuck.vmid)).toBe(node);
      } finally {
        fleet.sim.clearMigrationFailure(stuck.vmid);
      }
    });
  });

  describe('cephflag', () => {
    it('sets noout, says so when it is already set, and unsets it', async () => {
      const set = await run(nodes[3], 'cephflag', { flag: 'noout', set: true });
      expect(set.task.exitstatus).toBe('OK');
      expect(set.task.upid).toContain(':cephflag:noout:');
      expect(fleet.sim.state(nodes[0]).ceph!.flags).toEqual(['noout']);
      expect(set.result).toMatchObject({ flag: 'noout', set: true, changed: true });

      const again = await run(nodes[3], 'cephflag', { flag: 'noout', set: true });
      expect(again.log).toContain("skipped 'ceph osd set noout': only if noout is not set yet");
      expect(again.result).toMatchObject({ changed: false });

      const unset = await run(nodes[3], 'cephflag', { flag: 'noout', set: false });
      expect(unset.task.exitstatus).toBe('OK');
      expect(fleet.sim.state(nodes[0]).ceph!.flags).toEqual([]);
    });
  });

  describe('nodehealth', () => {
    it('passes on a healthy node', async () => {
      const { task, result } = await run(nodes[0], 'nodehealth', { waitSeconds: 10 });
      expect(task.exitstatus).toBe('OK');
      expect(result).toMatchObject({
        healthy: true,
        node: nodes[0],
        cluster: { quorate: true, inMembership: true },
        ceph: { osds: [{ status: 'up' }, { status: 'up' }], pgs: { total: 129, activeClean: 129 } },
      });
    });

    it('waits through a reboot until the rebooted node is back and its placement groups are clean', async () => {
      const rebooted = nodes[4];
      const bootId = fleet.sim.state(rebooted).bootId;
      expect((await fleet.sim.exec(rebooted, 'reboot')).code).toBe(0);
      await eventually(() => Promise.resolve(fleet.sim.state(rebooted).power === 'down' ? true : undefined), 5_000, 'the node to go down');
      const { task, log } = await run(nodes[3], 'nodehealth', { waitSeconds: 30 });
      expect(task.exitstatus).toBe('OK');
      expect(log).toContainEqual(expect.stringMatching(/^node healthy: after \d+ attempts$/));
      expect(fleet.sim.state(rebooted)).toMatchObject({ power: 'online' });
      expect(fleet.sim.state(rebooted).bootId).not.toBe(bootId);

      const own = await run(rebooted, 'nodehealth', { waitSeconds: 30, ceph: true });
      expect(own.task.exitstatus).toBe('OK');
      expect(own.result).toMatchObject({ node: rebooted, ceph: { osds: [{ status: 'up' }, { status: 'up' }] } });
    });

    it('fails naming what is not back', async () => {
      fleet.sim.setRebootBehaviour(nodes[4], 'hang');
      await fleet.sim.exec(nodes[4], 'reboot');
      await eventually(() => Promise.resolve(fleet.sim.state(nodes[4]).power === 'down' ? true : undefined), 5_000, 'the node to go down');
      try {
        const { task } = await run(nodes[3], 'nodehealth', { waitSeconds: 2 });
        expect(task.exitstatus).toMatch(
          /^node healthy \(last check: \d+ of 129 placement groups are not active\+clean \(.*\)\): not reached within 2 s/,
        );
      } finally {
        fleet.sim.setRebootBehaviour(nodes[4], 'normal');
      }
    });
  });

  describe('pve8to9', () => {
    it('passes with its warnings as task warnings', async () => {
      const { task, result, log } = await run(nodes[1], 'pve8to9');
      expect(task.exitstatus).toBe('WARNINGS: 1');
      expect(result).toMatchObject({ failures: 0, warnings: 1, failLines: [] });
      expect(log).toContainEqual(expect.stringMatching(/^WARN: pve8to9: updates for the following packages are available: /));
    });

    it('fails listing the FAIL lines', async () => {
      fleet.sim.setPve8to9(nodes[1], {
        failures: ['Ceph 18.2.7 is installed, upgrade to Squid first', 'found mixed old and new package repository suites'],
      });
      try {
        const { task, log } = await run(nodes[1], 'pve8to9');
        expect(task.exitstatus).toBe(
          'pve8to9 reports 2 failures: Ceph 18.2.7 is installed, upgrade to Squid first; found mixed old and new package repository suites',
        );
        expect(log).toContain('FAIL: found mixed old and new package repository suites');
      } finally {
        fleet.sim.setPve8to9(nodes[1], {});
      }
    });
  });
  describe('validation and dry runs', () => {
    const INJECTIONS = ['pve2;reboot', '$(reboot)', '`reboot`', 'pve2\nreboot', "pve2'", 'pve2"', '../pve2', 'x'.repeat(300)];

    it.each([
      ['hamaintenance', 'node', { enable: true }],
      ['migrateall', 'target', {}],
      ['cephflag', 'flag', { set: true }],
    ])('%s rejects injections in %s with 400 and runs nothing', async (type, field, rest) => {
      const execs = fleet.sim.counters(nodes[0]).execs;
      for (const value of INJECTIONS) {
        const res = await stack.http.post(`/nodes/${nodes[0]}/tasks`, { type, params: { ...rest, [field]: value } });
        expect(res.status, value).toBe(400);
        expect(errorBody.parse(res.body).errors?.map((e) => e.field)).toContain(`params.${field}`);
      }
      const unknown = await stack.http.post(`/nodes/${nodes[0]}/tasks`, { type, params: { ...rest, [field]: 'noout', extra: 1 } });
      expect(unknown.status).toBe(400);
      expect(fleet.sim.counters(nodes[0]).execs).toBe(execs);
    });

    it('dry-runs every step kind, running nothing', async () => {
      const execs = fleet.sim.counters(nodes[0]).execs;
      const dry = async (type: string, params: object) => {
        const res = await apiClient(stack).POST('/api/v1/nodes/{name}/tasks', {
          params: { path: { name: nodes[0] } },
          body: { type, params: params as Record<string, unknown>, dryRun: true },
        });
        expect(res.response.status, JSON.stringify(res.error ?? res.data)).toBe(200);
        if (!res.data || !('plans' in res.data)) throw new Error(`not a dry run: ${JSON.stringify(res.data)}`);
        return res.data.plans[0].plan as { notes: string[]; steps: Record<string, unknown>[] };
      };
      expect((await dry('migrateall', { target: nodes[3], withLocalDisks: true })).steps).toEqual([
        { command: 'qm list && pct list', description: 'list the guests on this node' },
        {
          command: `pvenode migrateall ${nodes[3]} --max-workers 1 --with-local-disks 1`,
          description: `migrate all guests to ${nodes[3]}`,
          onlyIf: 'guests are on this node',
        },
        {
          command: 'qm list && pct list',
          description: 'wait until no guest runs on this node',
          retryUntil: 'no guest running on this node',
          verifies: true,
        },
      ]);
      expect((await dry('hamaintenance', { node: nodes[1], enable: true })).steps.map((s) => s.command)).toEqual([
        'ha-manager status',
        `ha-manager crm-command node-maintenance enable ${nodes[1]}`,
        'ha-manager status',
      ]);
      expect((await dry('cephflag', { flag: 'noout', set: false })).steps.map((s) => s.command)).toEqual([
        'ceph osd dump --format json',
        'ceph osd unset noout',
        'ceph osd dump --format json',
      ]);
      expect((await dry('pve8to9', {})).steps.map((s) => s.command)).toEqual(['pve8to9 --full']);
      const check = await dry('clustercheck', { waitSeconds: 60 });
      expect(check.steps).toHaveLength(1);
      expect(check.steps[0]).toMatchObject({ retryUntil: 'cluster healthy', verifies: true });
      expect(check.steps[0].command).toContain('pvecm status');
      const health = await dry('nodehealth', {});
      expect(health.steps[0]).toMatchObject({ retryUntil: 'node healthy', verifies: true });
      expect(health.steps[0].command).toContain('systemctl is-active corosync pve-cluster pvedaemon pveproxy pve-ha-lrm');
      expect(fleet.sim.counters(nodes[0]).execs).toBe(execs);
    });
  });
});
