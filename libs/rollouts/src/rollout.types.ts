import type { PoolClient } from 'pg';
import type { PgPool } from '@pvefleet/db';
import type { RolloutRequest } from './rollout.schemas';
import type { StepName } from './node-steps';
import type { ReleaseRecord } from './node-release';

export type RolloutStatus =
  'pending' | 'running' | 'paused' | 'awaiting_approval' | 'halting' | 'aborting' | 'completed' | 'halted' | 'aborted' | 'failed';
export const ACTIVE_STATUSES: RolloutStatus[] = ['pending', 'running', 'paused', 'awaiting_approval', 'halting', 'aborting'];

export interface RolloutRow {
  id: number;
  status: RolloutStatus;
  spec: RolloutRequest;
  batches: string[][];
  currentBatch: number;
  nextBatchAt: Date | null;
  /** Pre-flight tasks: `{ "<cluster>": upid }` per batch; `{ "pve8to9:<node>": upid }` before a major upgrade. */
  preflight: Record<string, string>;
  /** `{ "<cluster>": { ceph?: boolean, halted?: string } }` */
  clusters: Record<string, { ceph?: boolean; halted?: string }>;
  user: string;
  reason: string | null;
  /** Asked with the abort (null: the default of `leavesOnAbort`). */
  abortLeaveMaintenance: boolean | null;
}

/** `skipped`: nothing to do (up to date); `not_started`: never began because the rollout (or its cluster) halted or was aborted. */
export type NodeState = 'pending' | 'running' | 'done' | 'skipped' | 'not_started' | 'failed' | 'aborted';

export interface RolloutNodeRow {
  id: number;
  node: string;
  nodeId: number | null;
  facts: unknown;
  cluster: string | null;
  batch: number;
  position: number;
  state: NodeState;
  step: StepName | null;
  taskUpid: string | null;
  tasks: { step: StepName; upid: string; exitstatus?: string | null }[];
  retries: number;
  detail: string | null;
  release: ReleaseRecord | null;
}

/** How a task whose worker died ends (the task path's exit status); a rollout step may then be run again. */
export const WORKER_LOST = 'interrupted: worker lost';

export interface TaskOutcome {
  upid: string;
  status: 'queued' | 'running' | 'stopped';
  exitstatus: string | null;
  isError: boolean;
  result: Record<string, unknown> | null;
}

/** The orchestrator's SQL: every transition is one guarded statement, so two owners can never both make it. */
export class RolloutStore {
  constructor(private readonly pool: PgPool) {}

  /** Takes (or keeps) the lease on every active rollout, or stopped one with a node being released, nobody else holds. */
  async claim(owner: string, ttlMs: number): Promise<number[]> {
    const { rows } = await this.pool.query<{ id: number }>(
      `UPDATE rollout SET owner = $1, lease_until = now() + $2 * interval '1 millisecond'
        WHERE (status = ANY($3::"RolloutStatus"[])
               OR id IN (SELECT rollout_id FROM rollout_node WHERE release ->> 'state' = 'running'))
          AND (owner IS NULL OR owner = $1 OR lease_until < now())
        RETURNING id`,
      [owner, ttlMs, ACTIVE_STATUSES],
    );
    return rows.map((r) => r.id).sort((a, b) => a - b);
  }

  async release(owner: string): Promise<void> {
    await this.pool.query(`UPDATE rollout SET owner = NULL, lease_until = NULL WHERE owner = $1`, [owner]);
  }

  async load(id: number): Promise<{ rollout: RolloutRow; nodes: RolloutNodeRow[] } | undefined> {
    const r = await this.pool.query<RolloutRow>(
      `SELECT id, status, spec, batches, current_batch AS "currentBatch", next_batch_at AS "nextBatchAt", preflight, clusters, "user", reason,
              abort_leave_maintenance AS "abortLeaveMaintenance"
         FROM rollout WHERE id = $1`,
      [id],
    );
    if (!r.rows[0]) return undefined;
    const n = await this.pool.query<RolloutNodeRow>(
      `SELECT rn.id, rn.node, n.id AS "nodeId", n.facts, rn.cluster, rn.batch, rn.position, rn.state, rn.step,
              rn.task_upid AS "taskUpid", rn.tasks, rn.retries, rn.detail, rn.release
         FROM rollout_node rn LEFT JOIN node n ON n.name = rn.node
        WHERE rn.rollout_id = $1 ORDER BY rn.position`,
      [id],
    );
    return { rollout: r.rows[0], nodes: n.rows };
  }

  async tasks(upids: string[]): Promise<Map<string, TaskOutcome>> {
    if (!upids.length) return new Map();
    const { rows } = await this.pool.query<TaskOutcome>(
      `SELECT upid, status, exitstatus, is_error AS "isError", result FROM task WHERE upid = ANY($1)`,
      [upids],
    );
    return new Map(rows.map((r) => [r.upid, r]));
  }

  /** Every registered node of a cluster (from facts), with its facts: candidates for migration targets. */
  async clusterMembers(cluster: string): Promise<{ name: string; facts: unknown }[]> {
    const { rows } = await this.pool.query<{ name: string; facts: unknown }>(
      `SELECT name, facts FROM node WHERE facts -> 'cluster' ->> 'name' = $1 ORDER BY name`,
      [cluster],
    );
    return rows;
  }

  async setStatus(id: number, from: RolloutStatus[], to: RolloutStatus, reason?: string | null): Promise<boolean> {
    const terminal = ['completed', 'halted', 'aborted', 'failed'].includes(to);
    const { rowCount } = await this.pool.query(
      `UPDATE rollout SET status = $3::"RolloutStatus", reason = COALESCE($4, reason),
              started_at = CASE WHEN $3::text = 'running' THEN COALESCE(started_at, now()) ELSE started_at END,
              ended_at = CASE WHEN $5 THEN now() ELSE ended_at END
        WHERE id = $1 AND status = ANY($2::"RolloutStatus"[])`,
      [id, from, to, reason ?? null, terminal],
    );
    return rowCount === 1;
  }

  async update(id: number, fields: Partial<Pick<RolloutRow, 'currentBatch' | 'nextBatchAt' | 'preflight' | 'clusters'>>): Promise<void> {
    const sets: string[] = [];
    const values: unknown[] = [id];
    const add = (col: string, v: unknown) => {
      values.push(v);
      sets.push(`${col} = $${values.length}`);
    };
    if (fields.currentBatch !== undefined) add('current_batch', fields.currentBatch);
    if (fields.nextBatchAt !== undefined) add('next_batch_at', fields.nextBatchAt);
    if (fields.preflight !== undefined) add('preflight', JSON.stringify(fields.preflight));
    if (fields.clusters !== undefined) add('clusters', JSON.stringify(fields.clusters));
    if (sets.length) await this.pool.query(`UPDATE rollout SET ${sets.join(', ')} WHERE id = $1`, values);
  }

  /**
   * Moves a node to its next step inside the caller's transaction, guarded by the step it was at and
   * by the rollout's status at this very moment: a node starts only while the rollout runs; a node in
   * flight continues while it is paused or halting, but not once an abort was asked for.
   */
  async advanceNode(
    client: PoolClient,
    node: RolloutNodeRow,
    next: { step: StepName; upid: string; retry?: boolean; undo?: boolean },
  ): Promise<boolean> {
    const inFlight: RolloutStatus[] = ['running', 'paused', 'halting', 'awaiting_approval', ...(next.undo ? (['aborting'] as const) : [])];
    const allowed: RolloutStatus[] = node.state === 'pending' ? ['running'] : inFlight;
    const { rowCount } = await client.query(
      `UPDATE rollout_node rn
          SET step = $2, task_upid = $3, state = 'running', started_at = COALESCE(started_at, now()),
              tasks = tasks || $4::jsonb, retries = retries + $7
        WHERE id = $1 AND step IS NOT DISTINCT FROM $5 AND task_upid IS NOT DISTINCT FROM $6
          AND EXISTS (SELECT 1 FROM rollout r WHERE r.id = rn.rollout_id AND r.status = ANY($8::"RolloutStatus"[]))`,
      [
        node.id,
        next.step,
        next.upid,
        JSON.stringify([{ step: next.step, upid: next.upid }]),
        node.step,
        node.taskUpid,
        next.retry ? 1 : 0,
        allowed,
      ],
    );
    return rowCount === 1;
  }

  /**
   * Writes a node's release record: its next task in the caller's transaction (guarded by the task it
   * was at, so two owners cannot both start one), or how it ended.
   */
  async saveRelease(node: RolloutNodeRow, next: ReleaseRecord, client?: PoolClient): Promise<boolean> {
    const { rowCount } = await (client ?? this.pool).query(
      `UPDATE rollout_node SET release = $2::jsonb
        WHERE id = $1 AND release ->> 'state' = 'running' AND release ->> 'upid' IS NOT DISTINCT FROM $3`,
      [node.id, JSON.stringify(next), node.release?.upid ?? null],
    );
    return rowCount === 1;
  }

  /** Records a pre-flight task in the caller's transaction, once per key. */
  async addPreflight(client: PoolClient, id: number, key: string, upid: string): Promise<boolean> {
    const { rowCount } = await client.query(
      `UPDATE rollout SET preflight = preflight || jsonb_build_object($2::text, $3::text) WHERE id = $1 AND NOT preflight ? $2`,
      [id, key, upid],
    );
    return rowCount === 1;
  }

  /** Ends a node: done, skipped, failed or aborted, with why; records its last task's exit status. */
  async finishNode(node: RolloutNodeRow, state: NodeState, detail: string, exitstatus?: string | null): Promise<boolean> {
    const tasks = node.tasks.map((t) => (t.upid === node.taskUpid && exitstatus !== undefined ? { ...t, exitstatus } : t));
    const { rowCount } = await this.pool.query(
      `UPDATE rollout_node SET state = $2, detail = $3, tasks = $4::jsonb, ended_at = now()
        WHERE id = $1 AND state IN ('pending', 'running') AND task_upid IS NOT DISTINCT FROM $5`,
      [node.id, state, detail, JSON.stringify(tasks), node.taskUpid],
    );
    return rowCount === 1;
  }

  /** Records a finished step's exit status on the node's task list (before the next step starts). */
  async noteExit(node: RolloutNodeRow, exitstatus: string | null): Promise<void> {
    node.tasks = node.tasks.map((t) => (t.upid === node.taskUpid ? { ...t, exitstatus } : t));
    await this.pool.query(`UPDATE rollout_node SET tasks = $2::jsonb WHERE id = $1`, [node.id, JSON.stringify(node.tasks)]);
  }

  async event(id: number, message: string, opts: { level?: 'info' | 'warn' | 'error'; node?: string } = {}): Promise<void> {
    await this.pool.query(`INSERT INTO rollout_event (rollout_id, level, node, message) VALUES ($1, $2, $3, $4)`, [
      id,
      opts.level ?? 'info',
      opts.node ?? null,
      message,
    ]);
  }

  async transaction<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const out = await fn(client);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }
}
