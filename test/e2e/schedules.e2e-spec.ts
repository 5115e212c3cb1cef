import { spreadOffsets } from '@pvefleet/schedules';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { errorFields } from '../support/api-client';
import { TestFleet } from '../support/fleet';
import { Stack } from '../support/stack';
import { eventually, uniqueName } from '../support/tasks';

const T = { timeout: 240_000 };
const d = (iso: string) => new Date(iso);

interface RunJson {
  id: number;
  fireAt: string;
  status: 'started' | 'skipped' | 'failed';
  reason: string | null;
  detail: Record<string, unknown>;
  tasks: { total: number; held: number; queued: number; running: number; stopped: number; ok: number; failed: number };
}
interface ScheduleJson {
  id: number;
  name: string;
  enabled: boolean;
  revision: number;
  nextRuns: { at: string; local: string }[];
  lastRuns: RunJson[];
}
interface ScheduledTask {
  upid: string;
  node: string;
  status: string;
  exitstatus: string | null;
  held: boolean;
  startAfter: string | null;
  scheduleRunId: number | null;
}

/**
 * Schedules end to end on the stack's clock file (never waiting for the calendar), with two workers
 * that both sweep and both hold BullMQ wake-ups: runs fire once, their tasks are created held and
 * released over the spread as the clock moves, missed runs and overlaps are decided as configured,
 * and a Redis that loses its keys keeps every schedule. Each test moves the clock forward only, to
 * its own day of 2027, and removes its schedules before the next.
 */
describe('schedules', () => {
  let stack: Stack;
  let fleet: TestFleet;
  let nodes: string[];
  const redis = new Redis(inject('redisUrl'), { lazyConnect: true });

  const create = async (body: Record<string, unknown>): Promise<ScheduleJson> => {
    const res = await stack.http.post('/schedules', {
      name: uniqueName('s'),
      timezone: 'UTC',
      selector: { nodes },
      action: { kind: 'job', type: 'facts' },
      ...body,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as ScheduleJson;
  };
  const get = async (id: number): Promise<ScheduleJson> => {
    const res = await stack.http.get(`/schedules/${id}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as ScheduleJson;
  };
  const runTasks = async (runId: number): Promise<ScheduledTask[]> => {
    const res = await stack.http.get(`/tasks?scheduleRun=${runId}&limit=100`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body as { data: ScheduledTask[] }).data;
  };
  /** Waits until the schedule has `count` runs (its sweeps run every 2 s), newest first. */
  const runsOf = (id: number, count: number, what: string) =>
    eventually(
      async () => {
        const s = await get(id);
        return s.lastRuns.length >= count ? s.lastRuns : undefined;
      },
      20_000,
      what,
    );
  const remove = async (id: number) => {
    expect((await stack.http.delete(`/schedules/${id}`)).status).toBe(204);
  };

  beforeAll(async () => {
    [stack, fleet] = await Promise.all([Stack.start({ workers: 2 }), TestFleet.start({ standalone: 3 }), redis.connect()]);
    nodes = await fleet.register(stack);
  });
  afterAll(async () => {
    redis.disconnect();
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- beforeAll may have failed before assigning them
    await Promise.all([stack?.stop(), fleet?.stop()]);
  });

  it('refuses a bad cron, an unknown time zone and a bad action, naming the field', async () => {
    const bad = async (body: Record<string, unknown>) => {
      const res = await stack.http.post('/schedules', {
        name: uniqueName('s'),
        cron: '0 3 * * *',
        selector: { nodes },
        action: { kind: 'job', type: 'facts' },
        ...body,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      return errorFields(res);
    };
    expect(await bad({ cron: '61 * * * *' })).toEqual(['cron']);
    expect(await bad({ timezone: 'Mars/Olympus' })).toEqual(['timezone']);
    expect(await bad({ action: { kind: 'job', type: 'nosuchkind' } })).toEqual(['action.type']);
    expect(await bad({ action: { kind: 'job', type: 'swappiness', params: { swappiness: 'lots' } } })).toEqual([
      'action.params.swappiness',
    ]);
    expect(await bad({ action: { kind: 'reconcile', fields: ['nosuchfield'] } })).toEqual(['action.fields.0']);
    expect(await bad({ action: { kind: 'erase' } })).toEqual(['action.kind']);
    expect(await bad({ spread: -1 })).toEqual(['spread']);
    expect(await bad({ missedRun: 'sometimes' })).toEqual(['missedRun']);
  });

  it('edits, pauses and resumes with a revision for each change; the next runs are in its time zone', T, async () => {
    await stack.setClock(d('2027-03-27T12:00:00Z'));
    const s = await create({ cron: '30 2 * * *', timezone: 'Europe/Berlin' });
    // The spring change skips 02:30 that night: it runs at 03:00 CEST, then 02:30 CEST again.
    expect(s.nextRuns.slice(0, 2)).toEqual([
      { at: '2027-03-28T01:00:00.000Z', local: '2027-03-28T03:00:00+02:00' },
      { at: '2027-03-29T00:30:00.000Z', local: '2027-03-29T02:30:00+02:00' },
    ]);
    const patched = await stack.http.patch(`/schedules/${s.id}`, { spread: 5 });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(errorFields(await stack.http.patch(`/schedules/${s.id}`, { cron: 'every day' }))).toEqual(['cron']);
    const paused = await stack.http.post(`/schedules/${s.id}/pause`);
    expect(paused.body).toMatchObject({ enabled: false, nextRuns: [] });
    const resumed = await stack.http.post(`/schedules/${s.id}/resume`);
    expect(resumed.body).toMatchObject({ enabled: true, revision: 4 });
    const revisions = await stack.http.get(`/schedules/${s.id}/revisions`);
    expect(revisions.body).toMatchObject({ total: 4, start: 0, limit: 50 });
    const diffs = (revisions.body as { data: { n: number; diff: { path: string }[] }[] }).data.map((r) => [r.n, r.diff.map((x) => x.path)]);
    expect(diffs).toEqual([
      [4, ['/enabled']],
      [3, ['/enabled']],
      [2, ['/spread']],
      [1, expect.arrayContaining(['/cron', '/action'])],
    ]);
    const list = await stack.http.get('/schedules?limit=1000');
    expect((list.body as { data: { id: number }[] }).data.map((x) => x.id)).toContain(s.id);
    await remove(s.id);
    expect((await stack.http.get(`/schedules/${s.id}`)).status).toBe(404);
    expect((await stack.http.get(`/schedules/${s.id}/revisions`)).body).toMatchObject({ total: 5 });
  });

  it('fires once with two workers: one held task per node, released over the spread as the clock moves', T, async () => {
    await stack.setClock(d('2027-06-07T09:58:00Z'));
    const s = await create({ cron: '0 10 * * *', spread: 30 });
    expect(s.nextRuns[0].at).toBe('2027-06-07T10:00:00.000Z');
    await stack.setClock(d('2027-06-07T10:00:01Z'));
    const [run] = await runsOf(s.id, 1, 'the 10:00 run');
    expect(run).toMatchObject({ fireAt: '2027-06-07T10:00:00.000Z', status: 'started', detail: { nodes: 3 } });

    // Each node's start time: the fire time plus its place in the schedule's order, 10 minutes apart.
    const offsets = spreadOffsets(s.id, nodes, 30);
    const tasks = await runTasks(run.id);
    expect(tasks).toHaveLength(3);
    const startAfter = Object.fromEntries(tasks.map((t) => [t.node, t.startAfter]));
    expect(startAfter).toEqual(
      Object.fromEntries(nodes.map((n) => [n, new Date(d('2027-06-07T10:00:00Z').getTime() + offsets.get(n)!).toISOString()])),
    );
    const order = [...offsets].sort((a, b) => a[1] - b[1]).map(([n]) => n);
    expect([...offsets.values()].sort((a, b) => a - b)).toEqual([0, 600_000, 1_200_000]);

    const statusOf = async () => Object.fromEntries((await runTasks(run.id)).map((t) => [t.node, t.held ? 'held' : t.status]));
    const released = (count: number) =>
      eventually(
        async () => {
          const now = await statusOf();
          const stopped = order.filter((n) => now[n] === 'stopped');
          return stopped.length === count && order.slice(count).every((n) => now[n] === 'held') ? now : undefined;
        },
        30_000,
        `${count} tasks released and done, the others held`,
      );
    await released(1);
    await stack.setClock(d('2027-06-07T10:10:01Z'));
    await released(2);
    await stack.setClock(d('2027-06-07T10:20:01Z'));
    await released(3);

    const done = await get(s.id);
    expect(done.lastRuns).toHaveLength(1);
    expect(done.lastRuns[0].tasks).toMatchObject({ total: 3, held: 0, stopped: 3, ok: 3, failed: 0 });
    for (const t of await runTasks(run.id)) expect(t.exitstatus).toBe('OK');
    // Both workers swept and held a wake-up all along: every task the schedule ever made is this run's three.
    const all = await stack.http.get(`/tasks?user=${encodeURIComponent(`schedule@pvefleet!${s.name}`)}`);
    expect((all.body as { total: number }).total).toBe(3);
    await remove(s.id);
  });

  it('a missed run runs once or is skipped, as configured', T, async () => {
    await stack.setClock(d('2027-06-08T00:30:00Z'));
    const once = await create({ cron: '0 * * * *', missedRun: 'run-once' });
    const skip = await create({ cron: '0 * * * *', missedRun: 'skip' });
    // Three hours at once: 01:00, 02:00 and 03:00 all passed longer ago than the grace (pvefleet was down).
    await stack.setClock(d('2027-06-08T03:30:00Z'));
    const onceRuns = await runsOf(once.id, 3, 'the run-once schedule’s three fire times');
    expect(onceRuns.map((r) => [r.fireAt, r.status, r.reason?.split(':')[0] ?? null])).toEqual([
      ['2027-06-08T03:00:00.000Z', 'started', null],
      ['2027-06-08T02:00:00.000Z', 'skipped', 'missed'],
      ['2027-06-08T01:00:00.000Z', 'skipped', 'missed'],
    ]);
    expect((await runTasks(onceRuns[0].id)).length).toBe(3);
    const skipRuns = await runsOf(skip.id, 3, 'the skip schedule’s three fire times');
    expect(skipRuns.map((r) => [r.status, r.reason?.split(':')[0], r.tasks.total])).toEqual([
      ['skipped', 'missed', 0],
      ['skipped', 'missed', 0],
      ['skipped', 'missed', 0],
    ]);
    await remove(once.id);
    await remove(skip.id);
  });

  it('skips a run while the previous one still has tasks waiting; deleting the schedule cancels them', T, async () => {
    await stack.setClock(d('2027-06-09T00:05:00Z'));
    // Every 10 minutes, spread over an hour: the second run comes while most of the first is held.
    const s = await create({ cron: '*/10 * * * *', spread: 60, overlap: 'skip' });
    const queued = await create({ cron: '*/10 * * * *', spread: 60, overlap: 'queue' });
    await stack.setClock(d('2027-06-09T00:10:01Z'));
    await runsOf(s.id, 1, 'the first run');
    await runsOf(queued.id, 1, 'the first run (queue)');
    await stack.setClock(d('2027-06-09T00:20:01Z'));
    const runs = await runsOf(s.id, 2, 'the second fire time');
    expect(runs.map((r) => [r.fireAt, r.status, r.reason?.split(':')[0] ?? null])).toEqual([
      ['2027-06-09T00:20:00.000Z', 'skipped', 'overlap'],
      ['2027-06-09T00:10:00.000Z', 'started', null],
    ]);
    const queuedRuns = await runsOf(queued.id, 2, 'the second run (queue)');
    expect(queuedRuns.map((r) => r.status)).toEqual(['started', 'started']);

    const held = (await runTasks(runs[1].id)).filter((t) => t.held);
    expect(held.length).toBeGreaterThan(0);
    await remove(s.id);
    await remove(queued.id);
    for (const t of held) {
      const res = await stack.http.get(`/tasks/${t.upid}`);
      expect(res.body).toMatchObject({ status: 'stopped', held: false });
    }
  });

  it('a reconcile and a rollout as actions: each run records what it made', T, async () => {
    await stack.setClock(d('2027-06-09T23:00:00Z'));
    const reconcile = await create({ cron: '0 0 * * *', action: { kind: 'reconcile' } });
    const rollout = await create({ cron: '0 0 * * *', action: { kind: 'rollout', template: { timeouts: { preflight: 5 } } } });
    await stack.setClock(d('2027-06-10T00:00:01Z'));
    // The run is recorded first, then its service starts the work and the run says what it made.
    const made = (id: number, key: string) =>
      eventually(
        async () => {
          const run = (await get(id)).lastRuns.at(0);
          return run?.detail[key] === undefined ? undefined : run;
        },
        20_000,
        `the run's ${key}`,
      );
    const reconciled = await made(reconcile.id, 'reconcileId');
    expect(reconciled).toMatchObject({ status: 'started', detail: { reconcileId: expect.any(Number) as number } });
    const rolled = await made(rollout.id, 'rolloutId');
    expect(rolled).toMatchObject({ status: 'started', detail: { rolloutId: expect.any(Number) as number, nodes: 3 } });
    const started = await stack.http.get(`/rollouts/${String(rolled.detail.rolloutId)}`);
    expect(started.body).toMatchObject({ user: `schedule@pvefleet!${rollout.name}` });
    await stack.http.post(`/rollouts/${String(rolled.detail.rolloutId)}/abort`, {});
    await remove(reconcile.id);
    await remove(rollout.id);
  });

  it('a Redis that loses every key keeps every schedule: the job schedulers come back and nothing fires twice', T, async () => {
    await stack.setClock(d('2027-06-10T05:50:00Z'));
    const s = await create({ cron: '0 6 * * *' });
    const queue = new Queue('schedules', { connection: redis, prefix: stack.env.PVEFLEET_REDIS_PREFIX });
    try {
      const scheduler = () =>
        eventually(
          async () => (await queue.getJobSchedulers(0, -1)).find((js) => js.key === `schedule-${s.id}`),
          30_000,
          'the job scheduler',
        );
      expect(await scheduler()).toMatchObject({ pattern: '0 6 * * *', tz: 'UTC' });
      await stack.setClock(d('2027-06-10T06:00:01Z'));
      const [run] = await runsOf(s.id, 1, 'the 06:00 run');

      // What FLUSHALL takes from this stack: every key under its prefix.
      for await (const keys of redis.scanStream({ match: `${stack.env.PVEFLEET_REDIS_PREFIX}:*`, count: 1000 })) {
        if ((keys as string[]).length) await redis.del(...(keys as string[]));
      }
      expect(await scheduler()).toMatchObject({ pattern: '0 6 * * *', tz: 'UTC' });
      const after = await get(s.id);
      expect(after.lastRuns.map((r) => r.id)).toEqual([run.id]);
      expect((await runTasks(run.id)).length).toBe(3);

      // The next day fires once more, once.
      await stack.setClock(d('2027-06-11T06:00:01Z'));
      const runs = await runsOf(s.id, 2, 'the next day’s run');
      expect(runs.map((r) => r.fireAt)).toEqual(['2027-06-11T06:00:00.000Z', '2027-06-10T06:00:00.000Z']);
      await remove(s.id);
    } finally {
      await queue.close();
    }
  });
});
