import type { Clock } from '@pvefleet/config';
import type { Db } from '@pvefleet/db';
import {
  HeldTaskRepository,
  ScheduleFirer,
  ScheduleRepository,
  ScheduleRunRepository,
  TaskRelease,
  type HeldTask,
  type ScheduleActionRunner,
  type ScheduleDocument,
  type TaskReleaseGate,
} from '@pvefleet/schedules/state';
import type { TaskJobData, TaskSubmissionService } from '@pvefleet/tasks';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, seedNode, uniqueName } from './support/database';

const at = (iso: string): Clock => ({ now: () => new Date(iso) });

/** Records what a run would start instead of starting it: firing and claiming are what is under test here. */
class RecordingActions {
  readonly fired: string[] = [];
  createHeldTasks(_trx: unknown, _s: unknown, _runId: number, fireAt: Date) {
    this.fired.push(fireAt.toISOString());
    return Promise.resolve({ nodes: 0 });
  }
}

/** Firing and releasing on the run's Postgres: one run per fire time under concurrency, missed runs, held tasks released or postponed. */
describe('schedules, on Postgres', () => {
  let db: Db;
  let close: () => Promise<void>;
  let schedules: ScheduleRepository;
  let runs: ScheduleRunRepository;

  beforeAll(() => {
    ({ db, close } = openDb());
    schedules = new ScheduleRepository(db);
    runs = new ScheduleRunRepository(db);
  });
  afterAll(() => close());

  const doc = (over: Partial<ScheduleDocument> = {}): ScheduleDocument => ({
    name: uniqueName('s'),
    cron: '*/5 * * * *',
    timezone: 'UTC',
    selector: { all: true },
    action: { kind: 'job', type: 'facts', params: {} },
    spread: 0,
    missedRun: 'skip',
    overlap: 'queue',
    enabled: true,
    ...over,
  });
  const firer = (actions: RecordingActions, clock: Clock) =>
    new ScheduleFirer(db, schedules, runs, actions as unknown as ScheduleActionRunner, clock);

  it('records one run per fire time however many firers call at once', async () => {
    const s = await schedules.create(doc(), 'a@pve!t', new Date('2027-01-01T00:01:00Z'));
    const actions = new RecordingActions();
    // Ten firers at once (ten workers' sweeps and wake-ups): the row lock lets one in, the others skip.
    await Promise.all(Array.from({ length: 10 }, () => firer(actions, at('2027-01-01T00:05:30Z')).fire(s.id)));
    // Again a moment later, as the next sweeps would: nothing new is due.
    await Promise.all(Array.from({ length: 10 }, () => firer(actions, at('2027-01-01T00:05:40Z')).fire(s.id)));
    await Promise.all(Array.from({ length: 10 }, () => firer(actions, at('2027-01-01T00:10:30Z')).fire(s.id)));
    expect(actions.fired).toEqual(['2027-01-01T00:05:00.000Z', '2027-01-01T00:10:00.000Z']);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM schedule_run WHERE schedule_id = ${s.id}`.execute(db);
    expect(rows[0].n).toBe(2);
    // A run claimed twice stays one row.
    expect(await runs.claim(db, s.id, new Date('2027-01-01T00:10:00Z'), 'started', null)).toBeUndefined();
  });

  it('decides missed fire times by the schedule: skip records them, run-once runs the latest', async () => {
    const skip = await schedules.create(doc({ missedRun: 'skip' }), 'a@pve!t', new Date('2027-01-02T00:00:00Z'));
    const once = await schedules.create(doc({ missedRun: 'run-once' }), 'a@pve!t', new Date('2027-01-02T00:00:00Z'));
    const actions = new RecordingActions();
    const now = at('2027-01-02T00:20:00Z');
    await firer(actions, now).fire(skip.id);
    await firer(actions, now).fire(once.id);
    const statuses = async (id: number) => (await runs.latest(id, 10)).map((r) => `${r.fireAt.toISOString().slice(11, 16)} ${r.status}`);
    expect(await statuses(skip.id)).toEqual(['00:20 started', '00:15 skipped', '00:10 skipped', '00:05 skipped']);
    expect(await statuses(once.id)).toEqual(['00:20 started', '00:15 skipped', '00:10 skipped', '00:05 skipped']);
    // Nothing within the grace: run-once runs the latest missed time.
    const late = await schedules.create(doc({ missedRun: 'run-once' }), 'a@pve!t', new Date('2027-01-03T00:00:00Z'));
    await firer(actions, at('2027-01-03T00:19:00Z')).fire(late.id);
    expect(await statuses(late.id)).toEqual(['00:15 started', '00:10 skipped', '00:05 skipped']);
  });

  it('releases the held tasks the gate lets go and moves the others, once each', async () => {
    const node = await seedNode(db);
    const ids: string[] = [];
    for (const startAfter of ['2027-02-01T10:00:00Z', '2027-02-01T10:05:00Z', '2027-02-01T11:00:00Z']) {
      const upid = `UPID:${node.name}:${uniqueName('').toUpperCase().padEnd(8, '0').slice(0, 8)}:00000000:00000000:facts::root@pam:`;
      const { rows } = await sql<{ id: string }>`
        INSERT INTO task (upid, node, node_id, type, "user", status, mutating, start_time, held, start_after)
        VALUES (${upid}, ${node.name}, ${node.id}, 'facts', 'root@pam', 'queued', false, now(), true, ${new Date(startAfter)})
        RETURNING id::text AS id`.execute(db);
      ids.push(rows[0].id);
    }
    const later = new Date('2027-02-01T12:00:00Z');
    const gate: TaskReleaseGate = {
      decide: (due: readonly HeldTask[]) =>
        Promise.resolve(new Map(due.map((t) => [t.id, t.id === ids[0] ? ('release' as const) : later]))),
    };
    const enqueued: TaskJobData[] = [];
    const submission = {
      enqueue: (jobs: TaskJobData[]) => Promise.resolve(void enqueued.push(...jobs)),
    } as unknown as TaskSubmissionService;
    const release = (clock: Clock) => new TaskRelease(new HeldTaskRepository(db), gate, submission, clock);
    const now = at('2027-02-01T10:30:00Z');
    // Two workers' loops at once: each due task is released (or moved) once.
    await Promise.all([release(now).releaseDue(), release(now).releaseDue()]);
    const { rows } = await sql<{ id: string; held: boolean; start_after: Date }>`
      SELECT id::text AS id, held, start_after FROM task WHERE id = ANY(${ids}::bigint[]) ORDER BY task.id`.execute(db);
    expect(rows.map((r) => [r.held, r.start_after.toISOString()])).toEqual([
      [false, '2027-02-01T10:00:00.000Z'],
      [true, later.toISOString()],
      [true, '2027-02-01T11:00:00.000Z'], // not due yet: the gate was not asked
    ]);
    expect(enqueued.map((j) => j.taskId)).toEqual([ids[0]]);
  });
});
