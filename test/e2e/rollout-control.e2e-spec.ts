import { rolloutDetailSchema, rolloutDryRunSchema } from '@pvefleet/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client';
import { readRolloutStream } from '../support/sse';
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

const T = { timeout: 240_000 };
const ENDED = ['completed', 'halted', 'failed', 'aborted'];

describe('steering a rollout', () => {
  let stack: Stack;
  const fleets: TestFleet[] = [];

  const cluster = (opts: Parameters<typeof TestFleet.start>[0] = {}) => simulatedCluster(stack, fleets, opts);

  /** Pause, resume, approve or abort: the rollout's status as the answer says it. */
  const steer = async (id: number, action: 'pause' | 'resume' | 'approve' | 'abort', body?: object) =>
    rolloutDetailSchema.parse((await stack.http.post(`/rollouts/${id}/${action}`, body)).body).status;

  const waitFor = (id: number, what: string, check: (r: RolloutJson) => boolean) => waitForRolloutWhere(stack, id, what, check);

  beforeAll(async () => {
    stack = await Stack.start({ workers: 2, env: { PVEFLEET_ROLLOUT_TICK_MS: '100' } });
  });
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- beforeAll may have failed before assigning it
    await Promise.all([stack?.stop(), ...fleets.map((f) => f.stop())]);
  });

  it('dry run: batches and every command per node, and nothing runs', async () => {
    const { fleet, nodes } = await cluster({ ceph: true });
    const execs = nodes.map((n) => fleet.sim.counters(n).execs);
    const res = await stack.http.post('/rollouts', { selector: { nodes }, dryRun: true });
    expect(res.status).toBe(200);
    const dry = rolloutDryRunSchema.parse(res.body);
    expect(dry.batches).toEqual(nodes.map((n) => [n]));
    const first = dry.nodes[0];
    expect(first.steps.map((s) => s.type)).toEqual(
      expect.arrayContaining(['aptupdate', 'facts', 'hamaintenance', 'evacuate', 'aptupgrade', 'nodehealth']),
    );
    const upgrade = first.steps.find((s) => s.type === 'aptupgrade');
    if (!upgrade) throw new Error('no aptupgrade step in the dry run');
    const plan = upgrade.plan as { steps: { command: string }[] };
    expect(plan.steps.map((s) => s.command).join('\n')).toContain('dist-upgrade');
    const listed = await apiClient(stack).GET('/api/v1/rollouts', { params: { query: { limit: 1_000 } } });
    expect(listed.data?.data.some((r) => r.id === dry.id)).toBe(false);
    expect(nodes.map((n) => fleet.sim.counters(n).execs)).toEqual(execs);
  });

  it('pause lets the running node finish and starts nothing new; resume carries on', T, async () => {
    const { nodes } = await cluster();
    const r = await startRollout(stack, { selector: { nodes } });
    await waitFor(r.id, 'the first node to start', (x) => x.nodes[0].state === 'running');
    expect(await steer(r.id, 'pause')).toBe('paused');
    const paused = await waitFor(r.id, 'the first node to finish', (x) => x.nodes[0].state !== 'running');
    expect(paused.nodes[0].state).toBe('done');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const still = await getRollout(stack, r.id);
    expect(still.status).toBe('paused');
    expect(still.nodes.slice(1).map((n) => n.state)).toEqual(['pending', 'pending']);
    expect((await stack.http.post(`/rollouts/${r.id}/pause`)).status).toBe(409);
    expect(await steer(r.id, 'resume')).toBe('running');
    const end = await waitForRollout(stack, r.id, ENDED);
    expect(end.status).toBe('completed');
  });

  it('abort stops each node after its current step and says where it is left', T, async () => {
    const { fleet, nodes } = await cluster();
    const r = await startRollout(stack, { selector: { nodes } });
    await waitFor(r.id, 'the first node to enter maintenance', (x) => x.nodes[0].tasks.some((t) => t.step === 'maintenance'));
    // Asked to stay; the default (leaving) is in rollout-release.e2e-spec.ts.
    expect(await steer(r.id, 'abort', { leaveMaintenance: false })).toBe('aborting');
    const end = await waitForRollout(stack, r.id, ENDED);
    expect(end.status).toBe('aborted');
    const first = end.nodes[0];
    expect(first.state).toBe('aborted');
    expect(first.detail).toMatch(/^stopped by abort after (maintenance|evacuate): still in HA maintenance mode/);
    expect(fleet.sim.state(nodes[0]).maintenance).toBe(true);
    expect(end.nodes.slice(1).map((n) => [n.state, n.detail])).toEqual([
      ['not_started', 'not started (aborted)'],
      ['not_started', 'not started (aborted)'],
    ]);
  });

  it('waits for approval after the first (canary) batch', T, async () => {
    const { nodes } = await cluster();
    const r = await startRollout(stack, { selector: { nodes }, approveAfterFirstBatch: true });
    const waiting = await waitForRollout(stack, r.id, ['awaiting_approval', ...ENDED]);
    expect(waiting.status).toBe('awaiting_approval');
    expect(waiting.nodes.map((n) => n.state)).toEqual(['done', 'pending', 'pending']);
    expect(await steer(r.id, 'approve')).toBe('running');
    expect((await waitForRollout(stack, r.id, ENDED)).status).toBe('completed');
  });

  it('streams progress over SSE until the rollout ends', T, async () => {
    const { nodes } = await cluster({ nodes: 3 });
    const r = await startRollout(stack, { selector: { nodes: [nodes[0]] } });
    const events = await readRolloutStream(stack, r.id);
    const messages = events.filter((e) => !e.event && !e.comment).map((e) => (JSON.parse(e.data) as { message: string }).message);
    expect(
      messages.some((m) => m.includes(`[1/1] ${nodes[0]}: entering HA maintenance`)),
      messages.join('\n'),
    ).toBe(true);
    expect(events.at(-1)).toMatchObject({ event: 'end' });
    expect(JSON.parse(events.at(-1)!.data)).toMatchObject({ status: 'completed' });
    // Every event once, in order, as the events endpoint has them; a reconnect resumes after its Last-Event-ID.
    expect(messages).toEqual(await rolloutEvents(stack, r.id));
    const ids = events.filter((e) => e.id !== undefined).map((e) => Number(e.id));
    const resumed = await readRolloutStream(stack, r.id, ids[2]);
    expect(resumed.filter((e) => e.id !== undefined).map((e) => Number(e.id))).toEqual(ids.slice(3));
  });

  it('refuses a major upgrade when pve8to9 reports a failure on any node', T, async () => {
    const { fleet, nodes } = await cluster();
    fleet.sim.setPve8to9(nodes[1], { failures: ['storage "local-lvm" uses a deprecated option'] });
    const r = await startRollout(stack, { selector: { nodes }, majorUpgrade: true });
    const end = await waitForRollout(stack, r.id, ENDED);
    expect(end.status).toBe('failed');
    expect(end.reason).toMatch(new RegExp(`^refused: pve8to9 reports problems on ${nodes[1]} \\(pve8to9 reports 1 failure`));
    expect(end.nodes.every((n) => n.state === 'pending')).toBe(true);
    for (const n of nodes) expect(fleet.sim.state(n).pveMajor).toBe(8);
  });

  it('a major upgrade takes every node from PVE 8 to 9, repositories first', T, async () => {
    const { fleet, nodes } = await cluster();
    const r = await startRollout(stack, { selector: { nodes }, majorUpgrade: true, timeouts: FAST_TIMEOUTS });
    const end = await waitForRollout(stack, r.id, ENDED);
    expect(end.status, (await rolloutEvents(stack, r.id)).join('\n')).toBe('completed');
    for (const n of nodes) {
      const state = fleet.sim.state(n);
      expect(state.pveMajor).toBe(9);
      expect(state.debian.codename).toBe('trixie');
      expect(state.runningKernel).toMatch(/^6\.17\./);
    }
    expect(end.nodes[0].tasks.map((t) => t.step)).toContain('repos');
  });
});
