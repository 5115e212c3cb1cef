import { errorBody, rolloutDetailSchema } from '@pvefleet/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client';
import { Stack } from '../support/stack';
import { TestFleet } from '../support/fleet';
import {
  FAST_TIMEOUTS,
  getRollout,
  rolloutEvents,
  type RolloutJson,
  simulatedCluster,
  startRollout,
  waitForRollout,
  waitForRolloutWhere,
} from '../support/rollouts';
import { eventually, getTask, waitForStatus } from '../support/tasks';

const T = { timeout: 240_000 };
const ENDED = ['completed', 'halted', 'failed', 'aborted'];

interface ReleaseJson {
  state: string;
  upid?: string;
  detail?: string;
  tasks: { step: string; upid: string; exitstatus?: string | null }[];
}

/** A 3-node cluster whose rollout halted on its second node, left failed in HA maintenance. */
async function haltedOnSecondNode(stack: Stack, fleets: TestFleet[], timeouts: Record<string, number> = FAST_TIMEOUTS) {
  const { fleet, nodes } = await simulatedCluster(stack, fleets);
  fleet.sim.addCommandFault(nodes[1], { match: 'dist-upgrade', action: { kind: 'fail', exitCode: 100 } });
  const r = await startRollout(stack, { selector: { nodes }, timeouts });
  const end = await waitForRollout(stack, r.id, ENDED);
  expect(end.status, (await rolloutEvents(stack, r.id)).join('\n')).toBe('halted');
  expect(fleet.sim.state(nodes[1]).maintenance).toBe(true);
  return { fleet, nodes, id: r.id, cluster: fleet.sim.info(nodes[0]).cluster };
}

const releaseOf = (r: RolloutJson, name: string) =>
  (r.nodes.find((n) => n.node === name) as unknown as { release: ReleaseJson | null }).release;

/** Asks to release a node a stopped rollout left held: the status, and the rollout or the error's message. */
async function release(stack: Stack, id: number, node: string) {
  const { data, error, response } = await apiClient(stack).POST('/api/v1/rollouts/{id}/nodes/{node}/release', {
    params: { path: { id, node } },
  });
  return { status: response.status, rollout: data, message: error?.message };
}

/** After an abort or a halt: nodes out of maintenance through tasks, never by hand. */
describe('getting nodes out of a stopped rollout', () => {
  let stack: Stack;
  const fleets: TestFleet[] = [];

  const cluster = (opts: Parameters<typeof TestFleet.start>[0] = {}) => simulatedCluster(stack, fleets, opts);
  const row = (r: RolloutJson, name: string) =>
    r.nodes.find((n) => n.node === name)! as RolloutJson['nodes'][number] & { release: ReleaseJson | null };
  const waitFor = (id: number, what: string, check: (r: RolloutJson) => boolean) => waitForRolloutWhere(stack, id, what, check);

  beforeAll(async () => {
    stack = await Stack.start({ workers: 2, env: { PVEFLEET_ROLLOUT_TICK_MS: '100' } });
  });
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- beforeAll may have failed before assigning it
    await Promise.all([stack?.stop(), ...fleets.map((f) => f.stop())]);
  });

  it('abort mid-evacuation: the node leaves HA maintenance through a task; the others are not started', T, async () => {
    // Slow migrations, so the abort lands while guests are moving.
    const { fleet, nodes, before } = await cluster({ sim: { rebootDelayMs: 300, haDelayMs: 20, migrationDelayMs: 1_500 } });
    const homeGuests = before[nodes[0]].guests.filter((g) => !g.ha).map((g) => g.vmid);
    expect(homeGuests.length).toBeGreaterThan(0);
    const r = await startRollout(stack, { selector: { nodes } });
    await waitFor(r.id, 'the first node to evacuate', (x) => x.nodes[0].step === 'evacuate');
    expect(fleet.sim.state(nodes[0]).maintenance).toBe(true);

    const refused = await release(stack, r.id, nodes[0]);
    expect([refused.status, refused.message]).toEqual([
      409,
      expect.stringMatching(/^rollout \d+ is running: a node is released only once its rollout has stopped/),
    ]);
    const bad = await stack.http.post(`/rollouts/${r.id}/abort`, { leaveMaintenance: 'yes' });
    expect(bad.status).toBe(400);
    expect(errorBody.parse(bad.body).errors?.[0].field).toBe('leaveMaintenance');
    expect((await getRollout(stack, r.id)).status).toBe('running');

    expect(rolloutDetailSchema.parse((await stack.http.post(`/rollouts/${r.id}/abort`)).body).status).toBe('aborting');
    const end = await waitForRollout(stack, r.id, ENDED);
    expect(end.status, (await rolloutEvents(stack, r.id)).join('\n')).toBe('aborted');
    const first = end.nodes[0];
    expect(first.state).toBe('aborted');
    // Out of maintenance through a task, then the guests its evacuation moved come home.
    expect(first.tasks.map((t) => t.step)).toEqual(['refresh', 'inspect', 'maintenance', 'evacuate', 'leave', 'return']);
    expect(first.detail).toBe('stopped by abort after return: not upgraded; its guests are back');
    const [leave, back] = await Promise.all(first.tasks.slice(-2).map((t) => waitForStatus(stack, t.upid)));
    expect([leave.type, leave.exitstatus, back.type, back.exitstatus]).toEqual(['hamaintenance', 'OK', 'returnguests', 'OK']);
    expect(fleet.sim.state(nodes[0]).maintenance).toBe(false);
    expect(fleet.sim.state(nodes[0]).guests.map((g) => g.vmid)).toEqual(expect.arrayContaining(homeGuests));
    expect(end.nodes.slice(1).map((n) => [n.state, n.detail])).toEqual([
      ['not_started', 'not started (aborted)'],
      ['not_started', 'not started (aborted)'],
    ]);
    expect(end.progress).toMatchObject({ aborted: 1, notStarted: 2 });
    expect(await rolloutEvents(stack, r.id)).toContain(`[1/3] ${nodes[0]}: abort: leaving HA maintenance [${first.tasks.at(-2)!.upid}]`);
    // Nothing is left on it, so there is nothing to release.
    const again = await release(stack, r.id, nodes[0]);
    expect([again.status, again.message]).toEqual([409, expect.stringMatching(/is not held by rollout/)]);
  });

  it('a halted rollout: counts read right, and release checks health, unsets noout and leaves maintenance', T, async () => {
    const { fleet, nodes } = await cluster({ ceph: true });
    fleet.sim.addCommandFault(nodes[1], { match: 'dist-upgrade', action: { kind: 'fail', exitCode: 100 } });
    const r = await startRollout(stack, { selector: { nodes } });
    const end = await waitForRollout(stack, r.id, ENDED);
    expect(end.status, (await rolloutEvents(stack, r.id)).join('\n')).toBe('halted');
    expect(end.reason).toBe("1 failed node exceeds the rollout's failure budget of 0");
    expect(end.nodes.map((n) => n.state)).toEqual(['done', 'failed', 'not_started']);
    expect(end.progress).toMatchObject({ done: 1, failed: 1, notStarted: 1, skipped: 0 });
    expect((await rolloutEvents(stack, r.id)).filter((e) => /\b1 \w+ nodes\b/.test(e))).toEqual([]);
    expect(fleet.sim.state(nodes[1]).maintenance).toBe(true);
    expect(fleet.sim.state(nodes[1]).ceph?.flags).toContain('noout');

    for (const held of [nodes[0], nodes[2]]) {
      const res = await release(stack, r.id, held);
      expect([res.status, res.message]).toEqual([
        409,
        `node ${held} is not held by rollout ${r.id}: it left no HA maintenance mode and no ceph noout on it`,
      ]);
    }
    expect((await release(stack, r.id, 'nosuchnode')).status).toBe(404);

    const asked = await release(stack, r.id, nodes[1]);
    expect(asked.status, JSON.stringify(asked.message)).toBe(202);
    if (!asked.rollout) throw new Error('no rollout in the answer');
    expect(row(asked.rollout, nodes[1]).release).toMatchObject({ state: 'running', by: 'admin@pvefleet!bootstrap' });
    expect((await release(stack, r.id, nodes[1])).status).toBe(409);

    const released = await waitFor(r.id, 'the release to end', (x) => row(x, nodes[1]).release?.state !== 'running');
    const rel = row(released, nodes[1]).release!;
    expect(rel.state, (await rolloutEvents(stack, r.id)).join('\n')).toBe('released');
    expect(rel.detail).toBe('released: healthy; out of HA maintenance; ceph noout unset');
    expect(rel.tasks.map((t) => [t.step, t.exitstatus])).toEqual([
      ['health', 'OK'],
      ['noout-unset', 'OK'],
      ['leave', 'OK'],
    ]);
    const types = await Promise.all(rel.tasks.map(async (t) => (await waitForStatus(stack, t.upid)).type));
    expect(types).toEqual(['nodehealth', 'cephflag', 'hamaintenance']);
    expect(released.status).toBe('halted');
    expect(row(released, nodes[1]).state).toBe('failed');
    expect(fleet.sim.state(nodes[1]).maintenance).toBe(false);
    expect(fleet.sim.state(nodes[1]).ceph?.flags).not.toContain('noout');
    const again = await release(stack, r.id, nodes[1]);
    expect(again.status).toBe(409);
  });

  it('release refuses an unhealthy node: nothing is undone until its health check passes', T, async () => {
    const { fleet, nodes, id, cluster } = await haltedOnSecondNode(stack, fleets, { ...FAST_TIMEOUTS, health: 3 });
    fleet.sim.breakQuorum(cluster);
    expect((await release(stack, id, nodes[1])).status).toBe(202);
    const refused = await waitFor(id, 'the release to end', (x) => releaseOf(x, nodes[1])?.state !== 'running');
    fleet.sim.restoreQuorum(cluster);
    const rel = releaseOf(refused, nodes[1])!;
    expect(rel.state).toBe('failed');
    expect(rel.detail).toMatch(/^release failed at health: .*quorate.* \(nothing after it ran\)$/);
    expect(rel.tasks.map((t) => t.step)).toEqual(['health']);
    expect(fleet.sim.state(nodes[1]).maintenance).toBe(true);

    expect((await release(stack, id, nodes[1])).status).toBe(202);
    const released = await waitFor(id, 'the second release to end', (x) => releaseOf(x, nodes[1])?.state !== 'running');
    expect(releaseOf(released, nodes[1])).toMatchObject({ state: 'released', detail: 'released: healthy; out of HA maintenance' });
    expect(fleet.sim.state(nodes[1]).maintenance).toBe(false);
  });
});

describe('a release survives the loss of its worker', () => {
  let stack: Stack;
  const fleets: TestFleet[] = [];

  beforeAll(async () => {
    // Short leases: the dead worker's task is known lost, and the rollout taken over, within seconds.
    stack = await Stack.start({ workers: 1, env: { PVEFLEET_ROLLOUT_TICK_MS: '100', PVEFLEET_TASK_LEASE_MS: '3000' } });
  });
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- beforeAll may have failed before assigning it
    await Promise.all([stack?.stop(), ...fleets.map((f) => f.stop())]);
  });

  it('kill -9 the worker mid health check: another worker finishes the release, no step twice', T, async () => {
    const { fleet, nodes, id, cluster } = await haltedOnSecondNode(stack, fleets);
    // Held unhealthy, so the health check is still running when its worker dies.
    fleet.sim.breakQuorum(cluster);
    expect((await release(stack, id, nodes[1])).status).toBe(202);
    await eventually(
      async () => {
        const rel = releaseOf(await getRollout(stack, id), nodes[1]);
        return rel?.upid && (await getTask(stack, rel.upid)).status === 'running' ? true : undefined;
      },
      60_000,
      'the health check to run',
    );
    await stack.killWorker(0);
    fleet.sim.restoreQuorum(cluster);
    stack.startWorker();
    const end = await waitForRolloutWhere(stack, id, 'the release to end', (x) => releaseOf(x, nodes[1])?.state !== 'running');
    const rel = releaseOf(end, nodes[1])!;
    expect(rel.state, (await rolloutEvents(stack, id)).join('\n')).toBe('released');
    expect(rel.tasks.map((t) => [t.step, t.exitstatus])).toEqual([
      ['health', 'OK'],
      ['leave', 'OK'],
    ]);
    expect(fleet.sim.state(nodes[1]).maintenance).toBe(false);
  });
});
