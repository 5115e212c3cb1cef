import { Inject, Injectable } from '@nestjs/common';
import { Db, type DB } from '@pvefleet/db';
import { isErrorClass } from '@pvefleet/errors';
import { sql, type Transaction } from 'kysely';
import type { ReleaseRecord } from './node-release';
import type { StepName } from './node-steps';
import {
  ACTIVE_STATUSES,
  type NewRollout,
  type NodeState,
  type RolloutDetail,
  type RolloutEventRow,
  type RolloutNodeRow,
  type RolloutRow,
  type RolloutStatus,
  type RolloutSummary,
  type TaskOutcome,
} from './rollout.types';

/** The event a status change is announced with. */
export interface StatusEvent {
  message: string;
  level?: 'info' | 'warn' | 'error';
}

/** A transaction of the rollout repository: task rows written in it commit with the rollout's change. */
export type RolloutTx = Transaction<DB>;

/** A rollout in one of these has ended: nothing more happens to it. */
export const ENDED_ROLLOUT_STATUSES: readonly RolloutStatus[] = ['completed', 'halted', 'aborted', 'failed'];
const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;

/**
 * Every statement on rollout, rollout_node and rollout_event, for the orchestrator (workers) and the
 * API alike. Each state transition is one guarded statement, so two owners can never both make it;
 * the reads of other tables (step tasks' outcomes, a cluster's registered nodes) are what a tick decides on.
 */
@Injectable()
export class RolloutRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  async transaction<T>(fn: (tx: RolloutTx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  // ---- the orchestrator's lease ------------------------------------------------------------

  /** Takes (or keeps) the lease on every active rollout, or stopped one with a node being released, nobody else holds. */
  async claim(owner: string, ttlMs: number): Promise<number[]> {
    const rows = await this.db
      .updateTable('rollout')
      .set({ owner, lease_until: sql<Date>`now() + ${ttlMs} * interval '1 millisecond'` })
      .where((eb) =>
        eb.and([
          eb.or([
            eb('status', 'in', ACTIVE_STATUSES),
            eb(
              'id',
              'in',
              eb
                .selectFrom('rollout_node')
                .select('rollout_id')
                .where(sql`release ->> 'state'`, '=', 'running'),
            ),
          ]),
          eb.or([eb('owner', 'is', null), eb('owner', '=', owner), eb('lease_until', '<', sql<Date>`now()`)]),
        ]),
      )
      .returning('id')
      .execute();
    return rows.map((r) => r.id).sort((a, b) => a - b);
  }

  async release(owner: string): Promise<void> {
    await this.db.updateTable('rollout').set({ owner: null, lease_until: null }).where('owner', '=', owner).execute();
  }

  // ---- reads ---------------------------------------------------------------------------------

  /** A rollout and its nodes (with each node's registered id and facts), as a tick decides on them. */
  async load(id: number): Promise<{ rollout: RolloutRow; nodes: RolloutNodeRow[] } | undefined> {
    const r = await this.db
      .selectFrom('rollout')
      .select([
        'id',
        'status',
        'spec',
        'batches',
        'current_batch',
        'next_batch_at',
        'preflight',
        'clusters',
        'user',
        'reason',
        'abort_leave_maintenance',
      ])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!r) return undefined;
    const nodes = await this.db
      .selectFrom('rollout_node as rn')
      .leftJoin('node as n', 'n.name', 'rn.node')
      .select([
        'rn.id',
        'rn.node',
        'n.id as nodeId',
        'n.facts',
        'rn.cluster',
        'rn.batch',
        'rn.position',
        'rn.state',
        'rn.step',
        'rn.task_upid',
        'rn.tasks',
        'rn.retries',
        'rn.detail',
        'rn.release',
      ])
      .where('rn.rollout_id', '=', id)
      .orderBy('rn.position')
      .execute();
    return {
      rollout: {
        id: r.id,
        status: r.status,
        spec: r.spec as RolloutRow['spec'],
        batches: r.batches as string[][],
        currentBatch: r.current_batch,
        nextBatchAt: r.next_batch_at,
        preflight: r.preflight as RolloutRow['preflight'],
        clusters: r.clusters as RolloutRow['clusters'],
        user: r.user,
        reason: r.reason,
        abortLeaveMaintenance: r.abort_leave_maintenance,
      },
      nodes: nodes.map((n) => ({ ...nodeProgress(n), nodeId: n.nodeId, facts: n.facts })),
    };
  }

  /** How the given step tasks stand (a tick's one read of the task table). */
  async tasks(upids: string[]): Promise<Map<string, TaskOutcome>> {
    if (!upids.length) return new Map();
    const rows = await this.db
      .selectFrom('task')
      .select(['upid', 'status', 'exitstatus', 'is_error', 'error_class', 'result'])
      .where('upid', '=', sql<string>`ANY(${upids})`)
      .execute();
    return new Map(
      rows.map((r) => [
        r.upid,
        {
          upid: r.upid,
          status: r.status,
          exitstatus: r.exitstatus,
          isError: r.is_error,
          errorClass: isErrorClass(r.error_class) ? r.error_class : null,
          result: r.result as Record<string, unknown> | null,
        },
      ]),
    );
  }

  /** Every registered node of a cluster (from facts), with its facts: candidates for migration targets. */
  async clusterMembers(cluster: string): Promise<{ name: string; facts: unknown }[]> {
    return this.db
      .selectFrom('node')
      .select(['name', 'facts'])
      .where(sql`facts -> 'cluster' ->> 'name'`, '=', cluster)
      .orderBy('name')
      .execute();
  }

  // ---- the orchestrator's transitions ------------------------------------------------------

  /**
   * Moves the rollout from one of `from` to `to`; with `event`, that event commits with the change, so a
   * reader that sees the new status (a live feed deciding the rollout ended) also sees the event.
   */
  async setStatus(id: number, from: RolloutStatus[], to: RolloutStatus, reason?: string | null, event?: StatusEvent): Promise<boolean> {
    return this.transaction(async (tx) => {
      const r = await tx
        .updateTable('rollout')
        .set({
          status: to,
          ...(reason != null ? { reason } : {}),
          ...(to === 'running' ? { started_at: sql<Date>`COALESCE(started_at, now())` } : {}),
          ...(ENDED_ROLLOUT_STATUSES.includes(to) ? { ended_at: sql<Date>`now()` } : {}),
        })
        .where('id', '=', id)
        .where('status', 'in', from)
        .executeTakeFirst();
      const moved = r.numUpdatedRows === 1n;
      if (moved && event) {
        await tx
          .insertInto('rollout_event')
          .values({ rollout_id: id, level: event.level ?? 'info', node: null, message: event.message })
          .execute();
      }
      return moved;
    });
  }

  async update(id: number, fields: Partial<Pick<RolloutRow, 'currentBatch' | 'nextBatchAt' | 'preflight' | 'clusters'>>): Promise<void> {
    const set = {
      ...(fields.currentBatch !== undefined ? { current_batch: fields.currentBatch } : {}),
      ...(fields.nextBatchAt !== undefined ? { next_batch_at: fields.nextBatchAt } : {}),
      ...(fields.preflight !== undefined ? { preflight: json(fields.preflight) } : {}),
      ...(fields.clusters !== undefined ? { clusters: json(fields.clusters) } : {}),
    };
    if (Object.keys(set).length) await this.db.updateTable('rollout').set(set).where('id', '=', id).execute();
  }

  /**
   * Moves a node to its next step inside the caller's transaction, guarded by the step it was at and
   * by the rollout's status at this very moment: a node starts only while the rollout runs; a node in
   * flight continues while it is paused or halting, but not once an abort was asked for.
   */
  async advanceNode(
    tx: RolloutTx,
    node: RolloutNodeRow,
    next: { step: StepName; upid: string; retry?: boolean; undo?: boolean },
  ): Promise<boolean> {
    const inFlight: RolloutStatus[] = ['running', 'paused', 'halting', 'awaiting_approval', ...(next.undo ? (['aborting'] as const) : [])];
    const allowed: RolloutStatus[] = node.state === 'pending' ? ['running'] : inFlight;
    const r = await tx
      .updateTable('rollout_node as rn')
      .set({
        step: next.step,
        task_upid: next.upid,
        state: 'running',
        started_at: sql<Date>`COALESCE(rn.started_at, now())`,
        tasks: sql`rn.tasks || ${JSON.stringify([{ step: next.step, upid: next.upid }])}::jsonb`,
        retries: sql<number>`rn.retries + ${next.retry ? 1 : 0}`,
      })
      .where('rn.id', '=', node.id)
      .where('rn.step', 'is not distinct from', node.step)
      .where('rn.task_upid', 'is not distinct from', node.taskUpid)
      .where((eb) =>
        eb.exists(eb.selectFrom('rollout as r').select('r.id').whereRef('r.id', '=', 'rn.rollout_id').where('r.status', 'in', allowed)),
      )
      .executeTakeFirst();
    return r.numUpdatedRows === 1n;
  }

  /**
   * Writes a node's release record: its next task in the caller's transaction (guarded by the task it
   * was at, so two owners cannot both start one), or how it ended.
   */
  async saveRelease(node: RolloutNodeRow, next: ReleaseRecord, tx?: RolloutTx): Promise<boolean> {
    const r = await (tx ?? this.db)
      .updateTable('rollout_node')
      .set({ release: json(next) })
      .where('id', '=', node.id)
      .where(sql`release ->> 'state'`, '=', 'running')
      .where(sql`release ->> 'upid'`, 'is not distinct from', node.release?.upid ?? null)
      .executeTakeFirst();
    return r.numUpdatedRows === 1n;
  }

  /** Records a pre-flight task in the caller's transaction, once per key. */
  async addPreflight(tx: RolloutTx, id: number, key: string, upid: string): Promise<boolean> {
    const r = await tx
      .updateTable('rollout')
      .set({ preflight: sql`preflight || jsonb_build_object(${key}::text, ${upid}::text)` })
      .where('id', '=', id)
      .where(sql<boolean>`NOT preflight ? ${key}`)
      .executeTakeFirst();
    return r.numUpdatedRows === 1n;
  }

  /** Ends a node: done, skipped, failed or aborted, with why; records its last task's exit status. */
  async finishNode(node: RolloutNodeRow, state: NodeState, detail: string, exitstatus?: string | null): Promise<boolean> {
    const tasks = node.tasks.map((t) => (t.upid === node.taskUpid && exitstatus !== undefined ? { ...t, exitstatus } : t));
    const r = await this.db
      .updateTable('rollout_node')
      .set({ state, detail, tasks: json(tasks), ended_at: sql<Date>`now()` })
      .where('id', '=', node.id)
      .where('state', 'in', ['pending', 'running'])
      .where('task_upid', 'is not distinct from', node.taskUpid)
      .executeTakeFirst();
    return r.numUpdatedRows === 1n;
  }

  /** Records a finished step's exit status on the node's task list (before the next step starts). */
  async noteExit(node: RolloutNodeRow, exitstatus: string | null): Promise<void> {
    node.tasks = node.tasks.map((t) => (t.upid === node.taskUpid ? { ...t, exitstatus } : t));
    await this.db
      .updateTable('rollout_node')
      .set({ tasks: json(node.tasks) })
      .where('id', '=', node.id)
      .execute();
  }

  async event(id: number, message: string, opts: { level?: 'info' | 'warn' | 'error'; node?: string } = {}): Promise<void> {
    await this.db
      .insertInto('rollout_event')
      .values({ rollout_id: id, level: opts.level ?? 'info', node: opts.node ?? null, message })
      .execute();
  }

  // ---- the API's side ----------------------------------------------------------------------

  /** Stores a new rollout with its nodes and first event, in one transaction; returns its id. */
  async create(r: NewRollout): Promise<number> {
    return this.transaction(async (tx) => {
      const { id } = await tx
        .insertInto('rollout')
        .values({ spec: json(r.spec), batches: json(r.batches), user: r.user })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (r.nodes.length) {
        await tx
          .insertInto('rollout_node')
          .values(
            r.nodes.map((n) => ({
              rollout_id: id,
              node: n.node,
              node_id: n.nodeId,
              cluster: n.cluster,
              batch: n.batch,
              position: n.position,
            })),
          )
          .execute();
      }
      await tx.insertInto('rollout_event').values({ rollout_id: id, message: r.created }).execute();
      return id;
    });
  }

  /** A page of rollouts, newest first, and how many there are (with `status`: in that status). */
  async list(q: { start: number; limit: number; status?: RolloutStatus }): Promise<{ data: RolloutSummary[]; total: number }> {
    const status = q.status;
    const base = status === undefined ? this.db.selectFrom('rollout') : this.db.selectFrom('rollout').where('status', '=', status);
    const [rows, counted] = await Promise.all([
      base
        .select(['id', 'status', 'reason', 'user', 'created_at', 'started_at', 'ended_at'])
        .orderBy('id', 'desc')
        .offset(q.start)
        .limit(q.limit)
        .execute(),
      base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { data: rows.map(toSummary), total: Number(counted.n) };
  }

  /** A rollout with its nodes in order, for the API's view. */
  async find(id: number): Promise<RolloutDetail | undefined> {
    const r = await this.db.selectFrom('rollout').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) return undefined;
    const nodes = await this.db.selectFrom('rollout_node').selectAll().where('rollout_id', '=', id).orderBy('position').execute();
    return {
      ...toSummary(r),
      spec: r.spec,
      batches: r.batches as string[][],
      currentBatch: r.current_batch,
      nextBatchAt: r.next_batch_at,
      nodes: nodes.map((n) => ({ ...nodeProgress(n), startedAt: n.started_at, endedAt: n.ended_at })),
    };
  }

  /** Its status and why, and nothing else: what a live feed needs besides the new events. */
  async statusOf(id: number): Promise<{ status: RolloutStatus; reason: string | null } | undefined> {
    return this.db.selectFrom('rollout').select(['status', 'reason']).where('id', '=', id).executeTakeFirst();
  }

  /** Events after position `after` (an event id), oldest first. */
  async events(id: number, after: number, limit: number): Promise<RolloutEventRow[]> {
    const rows = await this.db
      .selectFrom('rollout_event')
      .select(['id', 'at', 'level', 'node', 'message'])
      .where('rollout_id', '=', id)
      .where('id', '>', String(after))
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((e) => ({ ...e, id: Number(e.id) }));
  }

  /**
   * What changed since a live feed's position, in one round trip: the events after event id `after`,
   * and the rollout's status and reason now (undefined: no such rollout). Nodes are not reloaded.
   */
  async changesSince(
    id: number,
    after: number,
    limit: number,
  ): Promise<{ status: RolloutStatus; reason: string | null; events: RolloutEventRow[] } | undefined> {
    // Status first, then events: a final status commits with its event, so an ended rollout's last event is never missed.
    const state = await this.statusOf(id);
    if (!state) return undefined;
    return { ...state, events: await this.events(id, after, limit) };
  }

  /** The API's guarded status change (pause, resume, abort): only from one of `from`. */
  async steer(
    id: number,
    from: RolloutStatus[],
    to: RolloutStatus,
    extra: { abortLeaveMaintenance?: boolean | null } = {},
  ): Promise<boolean> {
    const r = await this.db
      .updateTable('rollout')
      .set({
        status: to,
        ...(extra.abortLeaveMaintenance !== undefined ? { abort_leave_maintenance: extra.abortLeaveMaintenance } : {}),
      })
      .where('id', '=', id)
      .where('status', 'in', from)
      .executeTakeFirst();
    return r.numUpdatedRows === 1n;
  }

  /** Approval after the first batch: the next batch starts, its pre-flight afresh. */
  async approve(id: number): Promise<boolean> {
    const r = await this.db
      .updateTable('rollout')
      .set({ status: 'running', current_batch: sql<number>`current_batch + 1`, preflight: json({}) })
      .where('id', '=', id)
      .where('status', '=', 'awaiting_approval')
      .executeTakeFirst();
    return r.numUpdatedRows === 1n;
  }

  /** One node of a rollout, with the rollout's status (undefined: no such rollout; node null: not in it). */
  async nodeOf(id: number, node: string): Promise<{ status: RolloutStatus; node: RolloutDetail['nodes'][number] | null } | undefined> {
    const r = await this.find(id);
    return r && { status: r.status, node: r.nodes.find((n) => n.node === node) ?? null };
  }

  /** Marks a node as being released, unless a release of it runs already (a concurrent request starts nothing twice). */
  async claimRelease(rolloutNodeId: number, record: ReleaseRecord): Promise<boolean> {
    const r = await this.db
      .updateTable('rollout_node')
      .set({ release: json(record) })
      .where('id', '=', rolloutNodeId)
      .where((eb) => eb.or([eb('release', 'is', null), eb(sql`release ->> 'state'`, '<>', 'running')]))
      .executeTakeFirst();
    return r.numUpdatedRows === 1n;
  }
}

function toSummary(r: {
  id: number;
  status: RolloutStatus;
  reason: string | null;
  user: string;
  created_at: Date;
  started_at: Date | null;
  ended_at: Date | null;
}): RolloutSummary {
  return {
    id: r.id,
    status: r.status,
    reason: r.reason,
    user: r.user,
    createdAt: r.created_at,
    startedAt: r.started_at,
    endedAt: r.ended_at,
  };
}

/** The columns of a rollout_node row that both the orchestrator's and the API's views show. */
interface NodeProgressColumns {
  id: number;
  node: string;
  cluster: string | null;
  batch: number;
  position: number;
  state: string;
  step: string | null;
  task_upid: string | null;
  tasks: unknown;
  retries: number;
  detail: string | null;
  release: unknown;
}

function nodeProgress(n: NodeProgressColumns) {
  return {
    id: n.id,
    node: n.node,
    cluster: n.cluster,
    batch: n.batch,
    position: n.position,
    state: n.state as NodeState,
    step: n.step as StepName | null,
    taskUpid: n.task_upid,
    tasks: n.tasks as RolloutNodeRow['tasks'],
    retries: n.retries,
    detail: n.detail,
    release: n.release as ReleaseRecord | null,
  };
}
