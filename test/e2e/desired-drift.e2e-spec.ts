import type { paths } from '@pvefleet/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client';
import { TestFleet } from '../support/fleet';
import { OwnPostgres } from '../support/own-postgres';
import { Stack } from '../support/stack';
import { eventually, startFleetTasks, waitForStatus } from '../support/tasks';
import { stopAll } from '../support/teardown';

type ReconcileRequest = paths['/api/v1/reconcile']['post']['requestBody']['content']['application/json'];

const PROFILE = 'drift-fleet';
const SERVERS = ['ntp1.example.com', 'ntp2.example.com'];
const CHRONY_DROPIN = '/etc/chrony/sources.d/pvefleet.sources';

/** The refresh interval of this suite: short, so "after one refresh" is seconds (drift calls facts stale after two). */
const REFRESH_MINUTES = 0.25;

/**
 * Desired state against the simulated fleet: a profile for 10 nodes, drift on all, reconcile, none,
 * a second reconcile that creates nothing; an out-of-band change seen after one timed refresh; a
 * revision restored and drift following; report fields that never run; a destructive fix refused
 * without its confirmation; an unreachable node shown unknown. Its own Postgres: the refresh timer
 * reads every node of its database, so no other suite's nodes may be there.
 */
describe('desired state: drift and reconcile', () => {
  let pg: OwnPostgres;
  let stack: Stack;
  let fleet: TestFleet;
  let nodes: string[];

  beforeAll(async () => {
    [pg, fleet] = await Promise.all([
      OwnPostgres.start('drift'),
      TestFleet.start({ nodes: 10, sim: { repositories: 'enterprise', subscription: true } }),
    ]);
    stack = await Stack.start({ env: { DATABASE_URL: pg.databaseUrl, PVEFLEET_FACTS_REFRESH_MINUTES: String(REFRESH_MINUTES) } });
    nodes = await fleet.register(stack);
    // Facts first (the timer would read them too, within one interval).
    try {
      for (const t of await startFleetTasks(stack, { type: 'facts', params: {}, selector: { nodes } })) {
        expect((await waitForStatus(stack, t.upid)).exitstatus).toBe('OK');
      }
    } catch (err) {
      console.log(stack.output().slice(-20000));
      throw err;
    }
  });
  afterAll(async () => {
    await stopAll(stack, fleet);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when OwnPostgres.start failed in beforeAll
    await pg?.remove();
  });

  const api = () => apiClient(stack);

  async function fleetDrift(query: { field?: string } = {}) {
    const { data, error, response } = await api().GET('/api/v1/drift', { params: { query: { limit: 1000, ...query } } });
    expect(response.status, JSON.stringify(error)).toBe(200);
    return data!;
  }

  async function nodeDrift(node: string) {
    const { data, error, response } = await api().GET('/api/v1/nodes/{name}/drift', { params: { path: { name: node } } });
    expect(response.status, JSON.stringify(error)).toBe(200);
    return data!;
  }

  const fieldOf = async (node: string, field: string) => (await nodeDrift(node)).fields.find((f) => f.field === field);

  /** Waits until `field` of the fleet counts `n` nodes in `status`. */
  function waitCount(field: string, status: 'compliant' | 'drift' | 'unknown', n: number, timeoutMs = 30_000) {
    return eventually(
      async () => ((await fleetDrift()).fields.find((f) => f.field === field)?.[status] === n ? true : undefined),
      timeoutMs,
      `${n} nodes ${status} on ${field}`,
    );
  }

  async function reconcile(body: ReconcileRequest) {
    return api().POST('/api/v1/reconcile', { body });
  }

  async function tasksOf(query: { node?: string; type?: string }) {
    const { data } = await api().GET('/api/v1/tasks', { params: { query: { limit: 1000, ...query } } });
    return data!.data;
  }

  it('a profile for 10 nodes shows drift on all of them, with the fix each would get', async () => {
    const { response, error } = await api().POST('/api/v1/profiles', {
      body: {
        name: PROFILE,
        description: 'the e2e fleet',
        selector: { nodes },
        priority: 10,
        fields: {
          repos: { value: { channel: 'no-subscription' } },
          ntp: { value: { servers: SERVERS, keepDefaultPool: false } },
        },
      },
    });
    expect(response.status, JSON.stringify(error)).toBe(201);

    await waitCount('ntp', 'drift', 10);
    await waitCount('repos', 'drift', 10);
    const summary = await fleetDrift();
    expect(summary.nodes).toMatchObject({ drift: 10, total: 10 });
    expect(summary.profiles).toContainEqual({ profile: PROFILE, compliant: 0, drift: 20, unknown: 0 });
    expect(summary.drifting.total).toBe(10);
    expect(summary.drifting.data.map((d) => d.node)).toEqual([...nodes].sort());

    const ntp = await fieldOf(nodes[0], 'ntp');
    expect(ntp).toMatchObject({ status: 'drift', mode: 'enforce', source: { kind: 'profile', name: PROFILE, revision: 1 } });
    expect(ntp?.reason).toContain('wants ntp1.example.com, ntp2.example.com');
    expect(ntp?.fix.map((f) => f.type)).toEqual(['ntp']);
    expect(JSON.stringify(ntp?.fix[0].plan)).toContain('ntp1.example.com');
  });

  it('reconcile: the dry run lists and runs nothing, the real one converges every node, the second creates no task', async () => {
    const before = (await tasksOf({ type: 'ntp' })).length;
    const dry = await reconcile({ selector: { nodes }, dryRun: true });
    expect(dry.response.status, JSON.stringify(dry.error)).toBe(200);
    expect(dry.data!.reconcileId).toBeNull();
    expect(dry.data!.tasks).toHaveLength(20);
    expect(dry.data!.tasks.every((t) => t.upid === null)).toBe(true);
    expect(new Set(dry.data!.tasks.map((t) => `${t.field}:${t.type}`))).toEqual(new Set(['ntp:ntp', 'repos:aptrepos']));
    expect((await tasksOf({ type: 'ntp' })).length).toBe(before);

    const real = await reconcile({ selector: { nodes } });
    expect(real.response.status, JSON.stringify(real.error)).toBe(202);
    const answer = real.data!;
    expect(answer.tasks).toHaveLength(20);
    for (const t of answer.tasks) {
      const task = await waitForStatus(stack, t.upid!, 'stopped', 60_000);
      expect(task.exitstatus, `${t.node} ${t.field}`).toBe('OK');
      const { data } = await api().GET('/api/v1/tasks/{upid}', { params: { path: { upid: t.upid! } } });
      expect(data).toMatchObject({ reconcileId: answer.reconcileId, desiredField: t.field });
    }
    await waitCount('ntp', 'compliant', 10);
    await waitCount('repos', 'compliant', 10);
    expect((await fleetDrift()).drifting.total).toBe(0);

    const again = await reconcile({ selector: { nodes } });
    expect(again.response.status).toBe(202);
    expect(again.data!.tasks).toEqual([]);
  }, 180_000);

  it('restoring a profile revision brings the old values back, and drift follows', async () => {
    const changed = await api().PUT('/api/v1/profiles/{name}', {
      params: { path: { name: PROFILE } },
      body: {
        description: 'the e2e fleet',
        selector: { nodes },
        priority: 10,
        fields: {
          repos: { value: { channel: 'no-subscription' } },
          ntp: { value: { servers: ['ntp3.example.com'], keepDefaultPool: false } },
        },
      },
    });
    expect(changed.response.status, JSON.stringify(changed.error)).toBe(200);
    await waitCount('ntp', 'drift', 10);
    expect(await fieldOf(nodes[1], 'ntp')).toMatchObject({ desired: { servers: ['ntp3.example.com'] }, source: { revision: 2 } });

    const restored = await api().POST('/api/v1/profiles/{name}/revisions/{n}/restore', { params: { path: { name: PROFILE, n: 1 } } });
    expect(restored.response.status, JSON.stringify(restored.error)).toBe(200);
    await waitCount('ntp', 'compliant', 10);
    expect(await fieldOf(nodes[1], 'ntp')).toMatchObject({ status: 'compliant', desired: { servers: SERVERS }, source: { revision: 3 } });
  });

  it('a node changed out of band shows drift with what it now has after one refresh', async () => {
    const node = nodes[2];
    fleet.sim.writeFile(node, CHRONY_DROPIN, 'server rogue.example.com iburst\n');
    const ntp = await eventually(
      async () => {
        const f = await fieldOf(node, 'ntp');
        return f?.status === 'drift' ? f : undefined;
      },
      3 * REFRESH_MINUTES * 60_000,
      `${node}'s ntp drift after a timed refresh`,
    );
    expect(ntp.observed).toMatchObject({ servers: ['rogue.example.com'] });
    expect(ntp.reason).toContain('servers are rogue.example.com');
    // Nothing of ours read it: the facts came from the timer's facts tasks.
    expect((await tasksOf({ node, type: 'facts' })).some((t) => t.user === 'system@pvefleet!facts-refresh')).toBe(true);
  }, 120_000);

  it('report fields show drift and never run anything', async () => {
    const node = nodes[3];
    const put = await api().PUT('/api/v1/nodes/{name}/override', {
      params: { path: { name: node } },
      body: { fields: { swappiness: { value: 1, mode: 'report' } } },
    });
    expect(put.response.status, JSON.stringify(put.error)).toBe(200);
    const swappiness = await eventually(async () => {
      const f = await fieldOf(node, 'swappiness');
      return f?.status === 'drift' ? f : undefined;
    });
    expect(swappiness).toMatchObject({ mode: 'report', source: { kind: 'override' } });

    const run = await reconcile({ selector: { nodes: [node] } });
    expect(run.response.status).toBe(202);
    expect(run.data!.tasks).toEqual([]);
    expect(run.data!.skipped).toContainEqual({ node, field: 'swappiness', reason: 'report mode: drift is shown, nothing runs' });
    expect(await tasksOf({ node, type: 'swappiness' })).toEqual([]);
  });

  it('a destructive fix without a confirmation naming the node and its devices gets 409, and nothing runs', async () => {
    const node = nodes[4];
    const disks = JSON.parse((await fleet.sim.exec(node, 'pvesh get /nodes/localhost/disks/list --output-format json')).stdout) as {
      devpath: string;
      by_id_link: string;
    }[];
    const device = disks.find((d) => d.devpath === '/dev/sdb')!.by_id_link;
    const put = await api().PUT('/api/v1/nodes/{name}/override', {
      params: { path: { name: node } },
      body: { fields: { zfsPools: { value: [{ name: 'tank', raidLevel: 'single', devices: [device] }] } } },
    });
    expect(put.response.status, JSON.stringify(put.error)).toBe(200);
    await eventually(async () => ((await fieldOf(node, 'zfsPools'))?.status === 'drift' ? true : undefined));

    const dry = await reconcile({ selector: { nodes: [node] }, fields: ['zfsPools'], dryRun: true });
    expect(dry.data!.tasks).toMatchObject([{ node, field: 'zfsPools', type: 'zfscreate', destroys: [device] }]);

    for (const confirm of [[], [{ node: nodes[5], devices: [device] }], [{ node, devices: [device, `${device}-other`] }]]) {
      const refused = await reconcile({ selector: { nodes: [node] }, confirm });
      expect(refused.response.status).toBe(409);
      expect(refused.error?.message).toContain(`${node} (zfsPools): ${device}`);
    }
    expect(await tasksOf({ node, type: 'zfscreate' })).toEqual([]);
  });

  it('a node whose labels change is judged by the profiles that now select it at once, not at its next facts read', async () => {
    const node = nodes[5];
    const rows = async () => {
      const f = (await fleetDrift()).fields.find((x) => x.field === 'heldPackages');
      return f ? f.compliant + f.drift + f.unknown : 0;
    };
    const created = await api().POST('/api/v1/profiles', {
      body: {
        name: 'by-label',
        selector: { labels: { tier: 'gold' } },
        priority: 5,
        fields: { heldPackages: { value: ['pve-manager'], mode: 'report' } },
      },
    });
    expect(created.response.status, JSON.stringify(created.error)).toBe(201);
    expect(await rows()).toBe(0);
    const labelled = await api().PATCH('/api/v1/nodes/{name}', { params: { path: { name: node } }, body: { labels: { tier: 'gold' } } });
    expect(labelled.response.status, JSON.stringify(labelled.error)).toBe(200);
    expect(await rows()).toBe(1);
    await api().PATCH('/api/v1/nodes/{name}', { params: { path: { name: node } }, body: { labels: {} } });
    expect(await rows()).toBe(0);
    await api().DELETE('/api/v1/profiles/{name}', { params: { path: { name: 'by-label' } } });
  });

  it('an unreachable node is unknown, never compliant', async () => {
    const node = nodes[6];
    fleet.sim.setOffline(node);
    const drift = await eventually(
      async () => {
        const d = await nodeDrift(node);
        return d.factsError ? d : undefined;
      },
      3 * REFRESH_MINUTES * 60_000,
      `${node}'s failed facts collection`,
    );
    expect(drift.fields.map((f) => [f.field, f.status])).toEqual([
      ['repos', 'unknown'],
      ['ntp', 'unknown'],
    ]);
    expect(drift.fields[0].reason).toContain('facts could not be collected');
    await waitCount('ntp', 'unknown', 1);
    const run = await reconcile({ selector: { nodes: [node] } });
    expect(run.data!.tasks).toEqual([]);
  }, 120_000);
});
