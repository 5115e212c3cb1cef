import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, errorFields } from '../support/api-client';
import { TestFleet } from '../support/fleet';
import { refreshFacts, rolloutEvents, startRollout, waitForRollout, waitForRolloutWhere } from '../support/rollouts';
import { Stack } from '../support/stack';
import { eventually, uniqueName } from '../support/tasks';

const T = { timeout: 240_000 };
const d = (iso: string) => new Date(iso);

/**
 * Maintenance windows end to end, on the stack's clock file (never waiting for the calendar): the
 * API, a node's next window, and a rollout that waits at its batch boundary until its node's window
 * opens. Each test moves the clock forward only, to its own week of 2027.
 */
describe('maintenance windows', () => {
  let stack: Stack;
  const fleets: TestFleet[] = [];
  const api = () => apiClient(stack);

  const standalone = async (count: number) => {
    const fleet = await TestFleet.start({ standalone: count, sim: { rebootDelayMs: 300 } });
    fleets.push(fleet);
    const nodes = await fleet.register(stack);
    await refreshFacts(stack, nodes);
    return { fleet, nodes };
  };

  /** Saturdays 02:00-06:00 UTC on `nodes`. */
  const saturdayNights = async (nodes: string[], extra: Record<string, unknown> = {}) => {
    const name = uniqueName('w');
    const res = await stack.http.post('/windows', {
      name,
      selector: { nodes },
      timezone: 'UTC',
      weekly: [{ days: ['sat'], start: '02:00', end: '06:00' }],
      ...extra,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return name;
  };

  beforeAll(async () => {
    stack = await Stack.start({ workers: 1, env: { PVEFLEET_ROLLOUT_TICK_MS: '100' } });
  });
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- beforeAll may have failed before assigning it
    await Promise.all([stack?.stop(), ...fleets.map((f) => f.stop())]);
  });

  it('refuses bad windows naming the field, and keeps every change as a revision', async () => {
    const bad = async (body: object) => {
      const res = await stack.http.post('/windows', { name: uniqueName('w'), selector: { labels: { a: 'b' } }, timezone: 'UTC', ...body });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      return errorFields(res);
    };
    expect(await bad({ timezone: 'Mars/Olympus', weekly: [{ days: ['mon'], start: '01:00', end: '02:00' }] })).toEqual(['timezone']);
    expect(await bad({ weekly: [{ days: ['mon'], start: '25:00', end: '02:00' }] })).toEqual(['weekly.0.start']);
    expect(await bad({ weekly: [{ days: ['someday'], start: '01:00', end: '02:00' }] })).toEqual(['weekly.0.days.0']);
    expect(await bad({})).toEqual(['weekly']);
    expect(
      await bad({ rrule: 'FREQ=WEEKLY;BYDAY=SA', durationMinutes: 60, weekly: [{ days: ['mon'], start: '01:00', end: '02:00' }] }),
    ).toEqual(['weekly', 'durationMinutes']);
    expect(await bad({ rrule: 'FREQ=WEEKLY;BYDAY=SA' })).toEqual(['durationMinutes']);
    expect(await bad({ rrule: 'FREQ=HOURLY', durationMinutes: 60 })).toEqual(['rrule']);
    expect(await bad({ rrule: 'FREQ=WEEKLY;BYDAY=XX', durationMinutes: 60 })).toEqual(['rrule']);
    expect(await bad({ selector: null, weekly: [{ days: ['mon'], start: '01:00', end: '02:00' }] })).toEqual(['selector']);

    await stack.setClock(d('2027-01-01T12:00:00Z')); // a Friday
    const name = uniqueName('w');
    const created = await api().POST('/api/v1/windows', {
      body: {
        name,
        selector: { labels: { tier: name } },
        timezone: 'Europe/Berlin',
        rrule: 'FREQ=WEEKLY;BYDAY=SA;BYHOUR=2',
        durationMinutes: 120,
      },
    });
    expect(created.response.status, JSON.stringify(created.error)).toBe(201);
    expect(created.data).toMatchObject({
      name,
      revision: 1,
      enabled: true,
      next: { start: '2027-01-02T01:00:00.000Z', end: '2027-01-02T03:00:00.000Z', open: false },
    });
    expect(
      (
        await stack.http.post('/windows', {
          name,
          clusters: ['x'],
          timezone: 'UTC',
          weekly: [{ days: ['mon'], start: '01:00', end: '02:00' }],
        })
      ).status,
    ).toBe(409);

    const path = { params: { path: { name } } };
    const patched = await api().PATCH('/api/v1/windows/{name}', { ...path, body: { enabled: false, description: 'paused' } });
    expect(patched.data).toMatchObject({ revision: 2, enabled: false, description: 'paused', next: null });
    // A PATCH is checked as a whole: weekly ranges beside the stored rrule are refused.
    const both = await stack.http.patch(`/windows/${name}`, { weekly: [{ days: ['mon'], start: '01:00', end: '02:00' }] });
    expect(errorFields(both)).toEqual(['weekly', 'durationMinutes']);
    const switched = await api().PATCH('/api/v1/windows/{name}', {
      ...path,
      body: { rrule: null, durationMinutes: null, weekly: [{ days: ['sun'], start: '22:00', end: '01:00' }] },
    });
    expect(switched.data).toMatchObject({ revision: 3, rrule: null, weekly: [{ days: ['sun'], start: '22:00', end: '01:00' }] });

    const listed = await api().GET('/api/v1/windows', { params: { query: { limit: 1000 } } });
    expect(listed.data?.data.map((w) => w.name)).toContain(name);
    expect((await api().GET('/api/v1/windows/{name}', path)).data?.revision).toBe(3);
    expect((await api().DELETE('/api/v1/windows/{name}', path)).response.status).toBe(204);
    expect((await api().GET('/api/v1/windows/{name}', path)).response.status).toBe(404);
    const revisions = await api().GET('/api/v1/windows/{name}/revisions', path);
    expect(revisions.data?.data.map((r) => [r.n, r.document === null])).toEqual([
      [4, true],
      [3, false],
      [2, false],
      [1, false],
    ]);
    expect(revisions.data?.data[1].diff).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/rrule', op: 'replace' })]));
  });

  it('GET /nodes/{name} shows the next window, the open one with its end, or null', T, async () => {
    const { nodes } = await standalone(2);
    const [windowed, free] = nodes;
    const name = await saturdayNights([windowed]);
    await stack.setClock(d('2027-01-08T12:00:00Z')); // a Friday
    const node = async (n: string) => (await api().GET('/api/v1/nodes/{name}', { params: { path: { name: n } } })).data;
    expect((await node(windowed))?.nextWindow).toEqual({
      name,
      start: '2027-01-09T02:00:00.000Z',
      end: '2027-01-09T06:00:00.000Z',
      open: false,
    });
    expect((await node(free))?.nextWindow).toBeNull();
    await stack.setClock(d('2027-01-09T03:00:00Z'));
    expect((await node(windowed))?.nextWindow).toEqual({
      name,
      start: '2027-01-09T02:00:00.000Z',
      end: '2027-01-09T06:00:00.000Z',
      open: true,
    });
  });

  it('a rollout waits at its batch boundary outside its node window (one event), and goes on inside the next', T, async () => {
    const { fleet, nodes } = await standalone(1);
    const [node] = nodes;
    const window = await saturdayNights([node]);
    await stack.setClock(d('2027-01-15T12:00:00Z')); // a Friday
    const execs = fleet.sim.counters(node).execs;
    const r = await startRollout(stack, { selector: { nodes }, job: { params: { guests: 'shutdown' } } });
    const waiting = `batch 1/1: waiting for maintenance window '${window}' of ${node}: starts at 2027-01-16T02:00:00.000Z`;
    await eventually(
      async () => ((await rolloutEvents(stack, r.id)).includes(waiting) ? true : undefined),
      20_000,
      `the event "${waiting}"`,
    );
    const before = await waitForRolloutWhere(stack, r.id, 'the rollout to run', (x) => x.status === 'running');
    expect(before.nodes.map((n) => n.state)).toEqual(['pending']);
    expect(fleet.sim.counters(node).execs).toBe(execs);

    await stack.setClock(d('2027-01-16T02:00:05Z'));
    const done = await waitForRollout(stack, r.id, ['completed', 'halted', 'failed'], 180_000);
    const events = await rolloutEvents(stack, r.id);
    expect(done.status, events.join('\n')).toBe('completed');
    expect(done.nodes.map((n) => n.state)).toEqual(['done']);
    expect(events.filter((e) => e.includes('waiting for maintenance window'))).toEqual([waiting]);
  });

  it(
    'a scheduled mutating task is held outside its node window and released inside; read-only work and nodes without a window are not held',
    T,
    async () => {
      const { nodes } = await standalone(2);
      const [windowed, free] = nodes;
      await saturdayNights([windowed]);
      await stack.setClock(d('2027-01-22T11:58:00Z')); // a Friday
      const schedule = async (selected: string[], action: object) => {
        const res = await stack.http.post('/schedules', {
          name: uniqueName('s'),
          cron: '0 12 * * *',
          timezone: 'UTC',
          selector: { nodes: selected },
          action,
        });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        return (res.body as { id: number }).id;
      };
      const mutating = await schedule(nodes, { kind: 'job', type: 'swappiness', params: { swappiness: 10 } });
      const readOnly = await schedule([windowed], { kind: 'job', type: 'facts' });
      await stack.setClock(d('2027-01-22T12:00:01Z'));

      /** The tasks of a schedule's one run, by node, once it has fired. */
      const tasksOf = async (id: number) => {
        const runs = await eventually(
          async () => {
            const s = (await stack.http.get(`/schedules/${id}`)).body as { lastRuns: { id: number }[] };
            return s.lastRuns.length ? s.lastRuns : undefined;
          },
          20_000,
          `schedule ${id} to fire`,
        );
        const res = await stack.http.get(`/tasks?scheduleRun=${runs[0].id}&limit=100`);
        const data = (
          res.body as { data: { node: string; status: string; exitstatus: string | null; held: boolean; startAfter: string | null }[] }
        ).data;
        return Object.fromEntries(data.map((t) => [t.node, t]));
      };
      // Outside the window: the node without one and the read-only task run; the windowed mutating one waits.
      await eventually(
        async () => {
          const [m, r] = [await tasksOf(mutating), await tasksOf(readOnly)];
          return m[free].status === 'stopped' && r[windowed].status === 'stopped' ? true : undefined;
        },
        30_000,
        'the unwindowed and read-only tasks to run',
      );
      const [m, r] = [await tasksOf(mutating), await tasksOf(readOnly)];
      expect([m[free].exitstatus, r[windowed].exitstatus]).toEqual(['OK', 'OK']);
      const held = await eventually(
        async () => {
          const t = (await tasksOf(mutating))[windowed];
          // The gate moved its next look past the fire time (to its window's opening, or a re-look sooner).
          return t.held && t.startAfter && t.startAfter > '2027-01-22T12:00:01' ? t : undefined;
        },
        20_000,
        'the windowed task to be postponed',
      );
      expect(held).toMatchObject({ status: 'queued', held: true });
      expect(held.startAfter! <= '2027-01-23T02:00:00.000Z').toBe(true);

      await stack.setClock(d('2027-01-23T02:00:05Z'));
      const released = await eventually(
        async () => {
          const t = (await tasksOf(mutating))[windowed];
          return t.status === 'stopped' ? t : undefined;
        },
        30_000,
        'the windowed task to run inside its window',
      );
      expect(released).toMatchObject({ held: false, exitstatus: 'OK' });
      for (const id of [mutating, readOnly]) expect((await stack.http.delete(`/schedules/${id}`)).status).toBe(204);
    },
  );
});
