import { randomBytes } from 'node:crypto';
import type { Db } from '@pvefleet/db';
import { ConflictError } from '@pvefleet/db';
import {
  WindowsReleaseGate,
  WindowsRepository,
  WindowsRolloutGate,
  WindowsWorkHistory,
  type HeldTask,
  type WindowDocument,
} from '@pvefleet/schedules/state';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DURATIONS_MS, FALLBACK_DURATION_MS } from '../../libs/schedules/src/windows';
import { openDb, seedNode, uniqueName } from './support/database';

const d = (iso: string) => new Date(iso);
const MIN = 60_000;

/** Maintenance windows on the run's Postgres: revisions, which windows apply to a node, expected durations, and both gates. */
describe('maintenance windows, on Postgres', () => {
  let db: Db;
  let close: () => Promise<void>;
  let repo: WindowsRepository;
  let history: WindowsWorkHistory;

  beforeAll(() => {
    ({ db, close } = openDb());
    repo = new WindowsRepository(db);
    history = new WindowsWorkHistory(db);
  });
  afterAll(() => close());

  const window = (over: Partial<WindowDocument> = {}): WindowDocument => ({
    name: uniqueName('w'),
    description: '',
    selector: null,
    clusters: [],
    timezone: 'UTC',
    weekly: [{ days: ['sat'], start: '02:00', end: '04:00' }],
    rrule: null,
    durationMinutes: null,
    enabled: true,
    ...over,
  });

  /** A node with labels and, in its facts, a cluster. */
  const node = async (labels: Record<string, string>, cluster: string | null = null) => {
    const n = await seedNode(db);
    await sql`UPDATE node SET labels = ${JSON.stringify(labels)}::jsonb, facts = ${JSON.stringify(cluster ? { cluster: { name: cluster } } : {})}::jsonb WHERE id = ${n.id}`.execute(
      db,
    );
    return n;
  };

  /** A finished successful task of `type` on the node that took `ms`. */
  const finished = async (n: { id: number; name: string }, type: string, ms: number) => {
    const upid = `UPID:${n.name}:${randomBytes(4).toString('hex').toUpperCase()}:00000000:00000000:${type}::root@pam:`;
    await sql`
      INSERT INTO task (upid, node, node_id, type, "user", status, exitstatus, mutating, start_time, started_at, end_time)
      VALUES (${upid}, ${n.name}, ${n.id}, ${type}, 'root@pam', 'stopped', 'OK', true, now(), now(), now() + ${`${ms} milliseconds`}::interval)`.execute(
      db,
    );
  };

  it('numbers revisions across a delete and a re-creation, and a change sees the stored window', async () => {
    const w = window();
    expect((await repo.save('create', w.name, 'a@pve!t', () => w)).revision).toBe(1);
    await expect(repo.save('create', w.name, 'a@pve!t', () => w)).rejects.toThrow(ConflictError);
    const updated = await repo.save('update', w.name, 'b@pve!t', (current) => ({ ...current!, enabled: false }));
    expect(updated).toMatchObject({ revision: 2, enabled: false });
    await repo.remove(w.name, 'c@pve!t');
    expect((await repo.save('create', w.name, 'd@pve!t', () => w)).revision).toBe(4);
    const revisions = await repo.revisions(w.name, 0, 10);
    expect(revisions.data.map((r) => [r.n, r.author, r.document === null])).toEqual([
      [4, 'd@pve!t', false],
      [3, 'c@pve!t', true],
      [2, 'b@pve!t', false],
      [1, 'a@pve!t', false],
    ]);
    expect(revisions.data[2].diff).toEqual([{ op: 'replace', path: '/enabled', from: true, to: false }]);
  });

  it('applies a window to the nodes its selector picks and to every node of its clusters, enabled ones only', async () => {
    const tier = uniqueName('t');
    const cluster = uniqueName('c');
    const [labelled, clustered, other] = [await node({ tier }), await node({}, cluster), await node({ tier: 'other' })];
    const byLabel = window({ selector: { labels: { tier } } });
    const byCluster = window({ clusters: [cluster] });
    const disabled = window({ selector: { nodes: [other.name] }, enabled: false });
    for (const w of [byLabel, byCluster, disabled]) await repo.save('create', w.name, 'a@pve!t', () => w);
    const found = await repo.forNodes({ ids: [labelled.id, clustered.id, other.id] });
    expect([...found].map(([id, ws]) => [id, ws.map((w) => w.name)])).toEqual([
      [labelled.id, [byLabel.name]],
      [clustered.id, [byCluster.name]],
    ]);
    expect([...(await repo.forNodes({ name: clustered.name })).values()].flat().map((w) => w.name)).toEqual([byCluster.name]);
  });

  it('expects the median of the node runs, else the fleet runs, else the kind default', async () => {
    const type = uniqueName('k');
    const [a, b] = [await node({}), await node({})];
    expect(await history.taskMs(type, a.id)).toBe(FALLBACK_DURATION_MS);
    expect(await history.taskMs('aptupgrade', null)).toBeGreaterThan(0);
    for (const ms of [60_000, 180_000, 120_000]) await finished(a, type, ms);
    expect(await history.taskMs(type, a.id)).toBe(120_000);
    expect(await history.taskMs(type, b.id)).toBe(120_000);
    await finished(b, type, 10_000);
    expect(await history.taskMs(type, b.id)).toBe(10_000);
    expect(DEFAULT_DURATIONS_MS.aptupgrade).toBe(15 * MIN);
  });

  it('the task gate holds only mutating tasks of windowed nodes, until an opening with room', async () => {
    const tier = uniqueName('t');
    const [windowed, free] = [await node({ tier }), await node({})];
    const w = window({ selector: { labels: { tier } } });
    await repo.save('create', w.name, 'a@pve!t', () => w);
    const gate = new WindowsReleaseGate(repo, history);
    // A type with no history anywhere: expected to take the fallback 5 minutes.
    const kind = uniqueName('k');
    const held = (id: string, n: { id: number; name: string }, mutating: boolean, type = kind): HeldTask => ({
      id,
      nodeId: n.id,
      node: n.name,
      type,
      mutating,
      startAfter: d('2027-01-01T00:00:00Z'),
      scheduleRunId: null,
    });
    const due = [held('1', windowed, true), held('2', windowed, false, 'facts'), held('3', free, true)];
    // Friday noon: the window opens on Saturday at 02:00; the task is looked at again within 15 minutes.
    expect(await gate.decide(due, d('2027-01-01T12:00:00Z'))).toEqual(
      new Map<string, 'release' | Date>([
        ['1', d('2027-01-01T12:15:00Z')],
        ['2', 'release'],
        ['3', 'release'],
      ]),
    );
    // Saturday 01:50: the next look is the opening itself.
    expect((await gate.decide(due, d('2027-01-02T01:50:00Z'))).get('1')).toEqual(d('2027-01-02T02:00:00Z'));
    expect((await gate.decide(due, d('2027-01-02T02:00:00Z'))).get('1')).toBe('release');
    // Too little left for the expected 5 minutes: the next Saturday (looked at again within 15 minutes).
    expect((await gate.decide(due, d('2027-01-02T03:58:00Z'))).get('1')).toEqual(d('2027-01-02T04:13:00Z'));
  });

  it('the rollout gate names the node and window a batch waits for, and when it may start', async () => {
    const tier = uniqueName('t');
    const [windowed, free] = [await node({ tier }), await node({})];
    const w = window({ selector: { labels: { tier } } });
    await repo.save('create', w.name, 'a@pve!t', () => w);
    const gate = new WindowsRolloutGate(repo, history);
    const batch = [
      { node: free.name, nodeId: free.id },
      { node: windowed.name, nodeId: windowed.id },
      { node: 'gone', nodeId: null },
    ];
    expect(await gate.batchWait(batch, d('2027-01-01T12:00:00Z'))).toEqual({
      node: windowed.name,
      window: w.name,
      at: d('2027-01-02T02:00:00Z'),
    });
    expect(await gate.batchWait(batch, d('2027-01-02T02:30:00Z'))).toBeNull();
    expect(await gate.batchWait(batch.slice(0, 1), d('2027-01-01T12:00:00Z'))).toBeNull();
  });
});
