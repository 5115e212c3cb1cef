import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client';
import { Stack } from '../support/stack';
import { TestFleet } from '../support/fleet';
import { startTask, taskLog, waitForStatus, type TaskJson } from '../support/tasks';

/**
 * A task that may reboot a node looks at the guests running on it right before the reboot
 * (issue 12, item 1). Every test reads the outcome back from the simulator: whether the node
 * rebooted, where each guest is, and whether a guest was still running when its node went down
 * (`killedByNodeDown`: PVE stops guests at shutdown; onboot ones start again at boot).
 */
/** What aptupgrade's result says about the guests (the tests match the rest as an object). */
interface GuestsResult {
  /** `moved` only with guests: 'migrate'. */
  guests: { runningAtReboot: { vmid: number }[]; moved?: { vmid: number; to: string }[] };
}

describe('aptupgrade and the guests running at the reboot', () => {
  let stack: Stack;
  /** One PVE 8 cluster of 4 (HA on, 2 VMs and 1 CT per node, the first VM HA-managed), a new kernel pending everywhere. */
  let fleet: TestFleet;
  let a: string[];

  beforeAll(async () => {
    [stack, fleet] = await Promise.all([Stack.start(), TestFleet.start({ nodes: 4 })]);
    a = await fleet.register(stack);
  });
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- beforeAll may have failed before assigning them
    await Promise.all([stack?.stop(), fleet?.stop()]);
  });

  const run = async (node: string, params: object): Promise<TaskJson> =>
    waitForStatus(
      stack,
      await startTask(stack, node, 'aptupgrade', { reboot: 'if-required', rebootTimeoutSeconds: 60, ...params }),
      'stopped',
      120_000,
    );
  const result = async (upid: string) => {
    const { data } = await apiClient(stack).GET('/api/v1/tasks/{upid}', { params: { path: { upid } } });
    if (!data) throw new Error(`no detail for task ${upid}`);
    return data.result as GuestsResult;
  };
  const guestsOn = (node: string) => fleet.sim.clusterState(fleet.sim.info(node).cluster).guests.filter((g) => g.node === node);
  const guest = (vmid: number) => fleet.sim.clusterState(fleet.sim.info(a[0]).cluster).guests.find((g) => g.vmid === vmid)!;
  const reboots = (node: string) => fleet.sim.counters(node).reboots;

  it('refuse (no guests param): upgrades, but does not reboot while guests run; the error names them', async () => {
    const node = a[0];
    const before = reboots(node);
    const running = guestsOn(node).filter((g) => g.status === 'running');
    expect(running.length).toBe(3);
    const task = await run(node, {});
    const names = running.map((g) => `${g.type === 'qemu' ? 'VM' : 'CT'} ${g.vmid} (running)`).join(', ');
    expect(task.exitstatus).toBe(
      `not rebooted: guests run on this node: ${names} (params.guests is 'refuse'); the upgrade itself was done, the reboot is still pending`,
    );
    expect(reboots(node)).toBe(before);
    expect(guestsOn(node).map((g) => [g.vmid, g.status, g.killedByNodeDown])).toEqual(running.map((g) => [g.vmid, 'running', 0]));
    const st = fleet.sim.state(node);
    expect(st.upgradable).toEqual([]);
    expect(st.rebootRequired).toBe(true);
  });

  it('shutdown: each running guest shuts down cleanly before the reboot; after it, only those that ran start again', async () => {
    const node = a[1];
    const before = reboots(node);
    const mine = guestsOn(node);
    // No onboot: what runs after the reboot is what the task started. One guest was stopped all along.
    const cluster = fleet.sim.cluster(fleet.sim.info(node).cluster);
    for (const g of mine) cluster.guests.get(g.vmid)!.onboot = false;
    const stoppedAllAlong = mine.find((g) => g.type === 'lxc')!.vmid;
    cluster.guests.get(stoppedAllAlong)!.status = 'stopped';

    const task = await run(node, { guests: 'shutdown', shutdownTimeoutSeconds: 30 });
    expect(task.exitstatus).toBe('OK');
    expect(reboots(node)).toBe(before + 1);
    for (const g of mine) {
      expect(guest(g.vmid)).toMatchObject({ node, status: g.vmid === stoppedAllAlong ? 'stopped' : 'running', killedByNodeDown: 0 });
    }
    const log = (await taskLog(stack, task.upid)).map((l) => l.t);
    const wasRunning = mine.filter((g) => g.vmid !== stoppedAllAlong).map((g) => g.vmid);
    expect(log).toContain(`# ${wasRunning.map((id) => `qm shutdown ${id} --timeout 30`).join(' && ')}`);
    expect(log).toContain(`# ${wasRunning.map((id) => `qm start ${id}`).join(' && ')}`);
    expect((await result(task.upid)).guests).toMatchObject({
      policy: 'shutdown',
      runningAtReboot: [],
      shutDown: wasRunning.map((vmid) => ({ vmid })),
      startedAgain: wasRunning.map((vmid) => ({ vmid })),
    });
  });

  it('ignore: reboots with the guests running, as asked, and records which ran', async () => {
    const node = a[2];
    const before = reboots(node);
    const mine = guestsOn(node);
    const task = await run(node, { guests: 'ignore' });
    expect(task.exitstatus).toBe('OK');
    expect(reboots(node)).toBe(before + 1);
    // The reboot stopped them (onboot started them again): the simulator counted each.
    for (const g of mine) expect(guest(g.vmid)).toMatchObject({ node, status: 'running', killedByNodeDown: 1 });
    expect((await result(task.upid)).guests.runningAtReboot.map((g) => g.vmid)).toEqual(mine.map((g) => g.vmid));
  });

  it('migrate: HA maintenance, guests spread over the other nodes, reboot, maintenance left; no guest ran during the reboot', async () => {
    const node = a[3];
    const before = reboots(node);
    const mine = guestsOn(node);
    const ha = mine.find((g) => g.ha)!;
    const task = await run(node, { guests: 'migrate', migrateWaitSeconds: 60 });
    expect(task.exitstatus).toBe('OK');
    expect(reboots(node)).toBe(before + 1);
    expect(fleet.sim.state(node).maintenance).toBe(false);
    for (const g of mine) expect(guest(g.vmid).killedByNodeDown).toBe(0);
    // HA brings its own guest back when maintenance ends; the others stay where they were placed.
    expect(guest(ha.vmid)).toMatchObject({ node, status: 'running' });
    const { moved } = (await result(task.upid)).guests;
    if (!moved) throw new Error('the result names no moved guests');
    const others = mine.filter((g) => !g.ha);
    expect(moved.map((m) => m.vmid)).toEqual(others.map((g) => g.vmid));
    expect(new Set(moved.map((m) => m.to)).size).toBe(others.length);
    for (const m of moved) expect(guest(m.vmid)).toMatchObject({ node: m.to, status: 'running' });
  });

  it('the dry run shows the guest policy and the check before the reboot', async () => {
    const res = await apiClient(stack).POST('/api/v1/nodes/{name}/tasks', {
      params: { path: { name: a[0] } },
      body: { type: 'aptupgrade', params: { reboot: 'if-required', guests: 'shutdown' }, dryRun: true },
    });
    expect(res.response.status, JSON.stringify(res.error ?? res.data)).toBe(200);
    if (!res.data || !('plans' in res.data)) throw new Error(`not a dry run: ${JSON.stringify(res.data)}`);
    const plan = res.data.plans[0].plan as { notes: string[]; steps: { command: string; fromOutput?: boolean }[] };
    expect(plan.notes).toContain(
      "guests 'shutdown': each running guest shuts down cleanly (timeout 180 s); after the reboot those that were running, and only those, start again",
    );
    const i = plan.steps.findIndex((s) => s.command === 'reboot');
    expect(plan.steps[i - 1].command).toBe('qm list && pct list');
    expect(plan.steps[i - 2].fromOutput).toBe(true);
    expect(plan.steps[i - 2].command).toContain('qm shutdown <vmid> --timeout 180');

    const bad = await stack.http.post(`/nodes/${a[0]}/tasks`, {
      type: 'aptupgrade',
      params: { reboot: 'if-required', guests: 'stop' },
      dryRun: true,
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('params.guests');
  });
});
