import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Stack } from '../support/stack';
import { TestFleet } from '../support/fleet';
import type { paths } from '@pvefleet/contracts';
import { z } from 'zod';
import { apiClient, errorFields } from '../support/api-client';
import { planFleetTasks, startFleetTasks, taskTotal, waitForStatus } from '../support/tasks';

/** The part of an aptupdate plan this file reads (plans are the kind's own shape, unknown to the contract). */
const commandPlan = z.object({ steps: z.array(z.object({ command: z.string() })) });
import { stopAll } from '../support/teardown';

describe('the fleet form and the fleet at a glance', () => {
  let stack: Stack;
  let fleet: TestFleet;
  let nodes: string[];

  beforeAll(async () => {
    [stack, fleet] = await Promise.all([Stack.start(), TestFleet.start({ nodes: 4 })]);
    nodes = await fleet.register(stack);
    await stack.http.patch(`/nodes/${nodes[0]}`, { labels: { cluster: fleet.sim.info(nodes[0]).cluster, role: 'canary' } }).expect(200);
  });
  afterAll(async () => {
    await stopAll(stack, fleet);
  });

  it('creates one task per selected node, each with its own UPID and log', async () => {
    const tasks = await startFleetTasks(stack, { selector: { nodes }, type: 'facts' });
    expect(tasks.map((t) => t.node)).toEqual(nodes);
    expect(new Set(tasks.map((t) => t.upid)).size).toBe(nodes.length);
    const done = await Promise.all(tasks.map((t) => waitForStatus(stack, t.upid)));
    expect(done.map((t) => t.exitstatus)).toEqual(nodes.map(() => 'OK'));
  });

  it('selects by label and by cluster (from facts), and all: true', async () => {
    const byLabel = await planFleetTasks(stack, { selector: { labels: { role: 'canary' } }, type: 'facts' });
    expect(byLabel.map((p) => p.node)).toEqual([nodes[0]]);
    const cluster = fleet.sim.info(nodes[0]).cluster;
    const byCluster = await planFleetTasks(stack, { selector: { clusters: [cluster] }, type: 'facts' });
    expect(byCluster.map((p) => p.node)).toEqual(nodes);
    const both = await planFleetTasks(stack, { selector: { clusters: [cluster], labels: { role: 'canary' } }, type: 'facts' });
    expect(both).toHaveLength(1);
    const all = await planFleetTasks(stack, { selector: { all: true }, type: 'facts' });
    expect(all.length).toBeGreaterThanOrEqual(nodes.length);
  });

  it('a dry run returns every node plan and runs nothing', async () => {
    const before = await taskTotal(stack);
    const execs = nodes.map((n) => fleet.sim.counters(n).execs);
    const plans = await planFleetTasks(stack, { selector: { nodes }, type: 'aptupdate' });
    expect(plans).toHaveLength(nodes.length);
    expect(commandPlan.parse(plans[0].plan).steps.map((s) => s.command)).toEqual(['apt-get update']);
    expect(await taskTotal(stack)).toBe(before);
    expect(nodes.map((n) => fleet.sim.counters(n).execs)).toEqual(execs);
  });

  it('rejects a bad selector naming the field, and enqueues nothing', async () => {
    const before = await taskTotal(stack);
    for (const [selector, field] of [
      [{}, 'selector'],
      [{ nodes: ['ghost-node'] }, 'selector.nodes.0'],
      [{ nodes: ['bad.name'] }, 'selector.nodes.0'],
      [{ labels: { role: 'nobody-has-this' } }, 'selector'],
      [{ nodes, color: 'red' }, 'selector.color'],
    ] as const) {
      const res = await stack.http.post('/tasks', { selector, type: 'facts' });
      expect(res.status, JSON.stringify(selector)).toBe(400);
      expect(errorFields(res)).toContain(field);
    }
    expect(await taskTotal(stack)).toBe(before);
  });

  it('shows each node at a glance with its latest facts', async () => {
    const api = apiClient(stack);
    const prefix = nodes[0].slice(0, nodes[0].lastIndexOf('-') + 1);
    const { data: page } = await api.GET('/api/v1/nodes', { params: { query: { q: prefix.toUpperCase(), limit: 1_000 } } });
    expect(page?.total).toBe(nodes.length);
    const mine = page!.data;
    expect(mine.map((n) => n.name)).toEqual(nodes);
    for (const n of mine) {
      const state = fleet.sim.state(n.name);
      expect(n.facts).toBeUndefined();
      expect(n.summary?.pveVersion).toBe(state.pveVersion);
      expect(n.summary?.kernel).toBe(state.runningKernel);
      expect(n.summary?.cluster).toBe(fleet.sim.info(n.name).cluster);
    }
    const full = await api.GET('/api/v1/nodes', { params: { query: { q: nodes[0], facts: '1' } } });
    expect(full.data?.data.find((n) => n.name === nodes[0])?.facts).toMatchObject({ hostname: nodes[0] });
  });

  it('pages the fleet and filters it by label, cluster and text, in the same shape as the task list', async () => {
    const api = apiClient(stack);
    const cluster = fleet.sim.info(nodes[0]).cluster;
    const list = async (query: paths['/api/v1/nodes']['get']['parameters']['query']) => {
      const { data, response } = await api.GET('/api/v1/nodes', { params: { query } });
      expect(response.status).toBe(200);
      return data!;
    };
    const second = await list({ cluster, start: 2, limit: 2 });
    expect(second).toMatchObject({ total: nodes.length, start: 2, limit: 2 });
    expect(second.data.map((n) => n.name)).toEqual(nodes.slice(2, 4));
    expect((await list({ label: ['role=canary', `cluster=${cluster}`] })).data.map((n) => n.name)).toEqual([nodes[0]]);
    expect((await list({ label: 'role=canary', cluster: `${cluster}x` })).total).toBe(0);
    expect((await list({ q: '%' })).data.every((n) => n.name.includes('%') || n.host.includes('%'))).toBe(true);
    const bad = await stack.http.get('/nodes?limit=0');
    expect([bad.status, errorFields(bad)[0]]).toEqual([400, 'query.limit']);
  });

  it('lists every job kind with its params schema', async () => {
    const { data: kinds } = await apiClient(stack).GET('/api/v1/job-kinds');
    const types = kinds!.map((k) => k.type);
    expect(types).toEqual(
      expect.arrayContaining(['facts', 'aptupdate', 'aptupgrade', 'aptrepos', 'ntp', 'acmerenew', 'acmenewcert', 'zfscreate']),
    );
    expect(kinds!.find((k) => k.type === 'facts')!.mutating).toBe(false);
  });
});
