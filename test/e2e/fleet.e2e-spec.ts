import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Stack } from '../support/stack';
import { TestFleet } from '../support/fleet';
import type { paths } from '@pvefleet/contracts';
import { apiClient } from '../support/api-client';
import { waitForStatus } from '../support/tasks';

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
    await Promise.all([stack?.stop(), fleet?.stop()]);
  });

  it('creates one task per selected node, each with its own UPID and log', async () => {
    const res = await stack.http.post('/tasks', { selector: { nodes }, type: 'facts' });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const tasks = res.body.tasks as { upid: string; node: string }[];
    expect(tasks.map((t) => t.node)).toEqual(nodes);
    expect(new Set(tasks.map((t) => t.upid)).size).toBe(nodes.length);
    const done = await Promise.all(tasks.map((t) => waitForStatus(stack, t.upid)));
    expect(done.map((t) => t.exitstatus)).toEqual(nodes.map(() => 'OK'));
  });

  it('selects by label and by cluster (from facts), and all: true', async () => {
    const byLabel = await stack.http.post('/tasks', { selector: { labels: { role: 'canary' } }, type: 'facts', dryRun: true });
    expect(byLabel.body.plans.map((p: { node: string }) => p.node)).toEqual([nodes[0]]);
    const cluster = fleet.sim.info(nodes[0]).cluster;
    const byCluster = await stack.http.post('/tasks', { selector: { clusters: [cluster] }, type: 'facts', dryRun: true });
    expect(byCluster.body.plans.map((p: { node: string }) => p.node)).toEqual(nodes);
    const both = await stack.http.post('/tasks', {
      selector: { clusters: [cluster], labels: { role: 'canary' } },
      type: 'facts',
      dryRun: true,
    });
    expect(both.body.plans).toHaveLength(1);
    const all = await stack.http.post('/tasks', { selector: { all: true }, type: 'facts', dryRun: true });
    expect(all.body.plans.length).toBeGreaterThanOrEqual(nodes.length);
  });

  it('a dry run returns every node plan and runs nothing', async () => {
    const before = (await stack.http.get('/tasks?limit=1')).body.total;
    const execs = nodes.map((n) => fleet.sim.counters(n).execs);
    const res = await stack.http.post('/tasks', { selector: { nodes }, type: 'aptupdate', dryRun: true });
    expect(res.status).toBe(200);
    expect(res.body.plans).toHaveLength(nodes.length);
    expect(res.body.plans[0].plan.steps.map((s: { command: string }) => s.command)).toEqual(['apt-get update']);
    expect((await stack.http.get('/tasks?limit=1')).body.total).toBe(before);
    expect(nodes.map((n) => fleet.sim.counters(n).execs)).toEqual(execs);
  });

  it('rejects a bad selector naming the field, and enqueues nothing', async () => {
    const before = (await stack.http.get('/tasks?limit=1')).body.total;
    for (const [selector, field] of [
      [{}, 'selector'],
      [{ nodes: ['ghost-node'] }, 'selector.nodes.0'],
      [{ nodes: ['bad.name'] }, 'selector.nodes.0'],
      [{ labels: { role: 'nobody-has-this' } }, 'selector'],
      [{ nodes, color: 'red' }, 'selector.color'],
    ] as const) {
      const res = await stack.http.post('/tasks', { selector, type: 'facts' });
      expect(res.status, JSON.stringify(selector)).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await stack.http.get('/tasks?limit=1')).body.total).toBe(before);
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
    expect([bad.status, bad.body.errors[0].field]).toEqual([400, 'query.limit']);
  });

  it('lists every job kind with its params schema', async () => {
    const res = await stack.http.get('/job-kinds');
    const types = res.body.map((k: { type: string }) => k.type);
    expect(types).toEqual(
      expect.arrayContaining(['facts', 'aptupdate', 'aptupgrade', 'aptrepos', 'ntp', 'acmerenew', 'acmenewcert', 'zfscreate']),
    );
    expect(res.body.find((k: { type: string }) => k.type === 'facts').mutating).toBe(false);
  });
});
