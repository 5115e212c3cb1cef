import { Inject, Injectable } from '@nestjs/common';
import { Db, PgPool } from '@pvefleet/db';
import type { NodeConnectionRow } from '@pvefleet/nodes';
import { sql } from 'kysely';
import type { TaskJobData } from '../task-queue';
import { lastLogLine } from './task-log.repository';

/** A task the worker has just claimed, with its node's connection details (null if the node was deleted). */
export interface ClaimedTask {
  id: string;
  upid: string;
  type: string;
  mutating: boolean;
  params: unknown;
  user: string;
  nodeName: string;
  nodeId: number | null;
  node: NodeConnectionRow | null;
  /** How long the first connection may keep retrying an unreachable node (null: fail at once). */
  connectWaitMs: number | null;
  /** Lines already in its log (a read-only task run again after its worker died): the log continues after them. */
  logLinesSoFar: number;
  /** This run's number: 1, or more for a read-only task run again after its worker died. */
  attempt: number;
  /** The rollout whose step this is, if any. */
  rolloutId: number | null;
}

export interface Orphan {
  id: string;
  workerId: string | null;
  type: string;
  mutating: boolean;
  /** Runs so far, this one included. */
  attempt: number;
}

interface PendingClaim {
  taskId: string;
  workerId: string;
  resolve(t: ClaimedTask | undefined): void;
  reject(e: unknown): void;
}

const ms = (n: number) => sql`${n} * interval '1 millisecond'`;

// The statements every task or every heartbeat runs are constant text sent straight to the pool:
// compiling Kysely's `sql` template cost some 25 µs of CPU per statement, a measurable part of a
// task's cost. The rest use Kysely.

/** The node's lease for a mutating task: free, expired or already its own, and no older mutating task waiting. */
const ACQUIRE_LEASE_SQL = `
  UPDATE node SET lease_task_id = $2, lease_expires_at = now() + $3 * interval '1 millisecond'
   WHERE id = $1
     AND (lease_task_id IS NULL OR lease_task_id = $2 OR lease_expires_at < now())
     AND NOT EXISTS (SELECT 1 FROM task t
                      WHERE t.node_id = $1 AND t.mutating AND t.status = 'queued' AND NOT t.held AND t.id < $2)`;

const RELEASE_LEASE_SQL = `UPDATE node SET lease_task_id = NULL, lease_expires_at = NULL WHERE id = $1 AND lease_task_id = $2`;

// The claim also registers the worker as present (WorkerPresence fills in the rest at its first
// beat), so a worker that dies within a second of starting is still seen dead in seconds.
const CLAIM_SQL = `
  WITH present AS (
    INSERT INTO worker_process (id, host, pid) VALUES ($2, '', 0) ON CONFLICT (id) DO NOTHING
  ), claimed AS (
    UPDATE task SET status = 'running', started_at = COALESCE(started_at, now()), worker_id = $2, heartbeat_at = now(),
                    attempt = attempt + 1
     WHERE id = ANY($1::bigint[]) AND status = 'queued' AND NOT held
    RETURNING id, upid, type, mutating, params, "user", node, node_id, connect_wait_ms, log_lines, attempt, rollout_id
  )
  SELECT c.id::text, c.upid, c.type, c.mutating, c.params, c."user", c.node AS "nodeName", c.node_id AS "nodeId",
         c.connect_wait_ms AS "connectWaitMs", c.log_lines AS "logLinesSoFar", c.attempt, c.rollout_id AS "rolloutId",
         CASE WHEN n.id IS NULL THEN NULL ELSE json_build_object(
           'id', n.id, 'name', n.name, 'host', n.host, 'port', n.port, 'sshUser', n.ssh_user,
           'credentialType', n.credential_type, 'credential', n.credential,
           'hostKeyFingerprint', n.host_key_fingerprint, 'hostKeyAlgorithm', n.host_key_algorithm,
           'facts', n.facts) END AS node
    FROM claimed c LEFT JOIN node n ON n.id = c.node_id`;

const HEARTBEAT_SQL = `
  WITH beat AS (
    UPDATE task SET heartbeat_at = now() WHERE id = ANY($1::bigint[]) AND status = 'running'
    RETURNING id, cancel_requested_at, cancelled_by
  ), lease AS (
    UPDATE node SET lease_expires_at = now() + $2 * interval '1 millisecond'
     WHERE lease_task_id = ANY($1::bigint[])
  )
  SELECT id::text, cancelled_by AS by FROM beat WHERE cancel_requested_at IS NOT NULL`;

/**
 * The worker's SQL on tasks and node leases: the hot path. Each statement is a small state
 * transition whose WHERE clause is the guard (never read-then-write). The hot ones are constant
 * text above; the CTEs are written with Kysely's `sql` template (typed results), the plain statements
 * with its builder (typed columns).
 */
@Injectable()
export class TaskRunRepository {
  private pendingClaims: PendingClaim[] = [];
  private claiming = false;

  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(PgPool) private readonly pool: PgPool,
  ) {}

  /**
   * Takes the node's lease for a mutating task. Succeeds only when no other task holds a live lease
   * and no older mutating task on the node is still waiting, so mutations on a node run one at a
   * time and in the order they were submitted, whichever worker process picks them up.
   */
  async acquireLease(nodeId: number, taskId: string, ttlMs: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(ACQUIRE_LEASE_SQL, [nodeId, taskId, ttlMs]);
    return rowCount === 1;
  }

  async releaseLease(nodeId: number, taskId: string): Promise<void> {
    await this.pool.query(RELEASE_LEASE_SQL, [nodeId, taskId]);
  }

  /**
   * queued → running, returning the task and its node; undefined when another worker got there first
   * or the task was cancelled meanwhile. Claims that arrive together (a worker takes many jobs at
   * once) go to Postgres as one statement: one round trip for a batch instead of one per task.
   */
  claim(taskId: string, workerId: string): Promise<ClaimedTask | undefined> {
    return new Promise((resolve, reject) => {
      this.pendingClaims.push({ taskId, workerId, resolve, reject });
      if (!this.claiming) this.flushClaims();
    });
  }

  private flushClaims(): void {
    this.claiming = true;
    // Let the claims of this event-loop turn join the batch.
    setImmediate(() => {
      const batch = this.pendingClaims.splice(0, 1_000);
      const byWorker = new Map<string, PendingClaim[]>();
      for (const c of batch) {
        const claims = byWorker.get(c.workerId);
        if (claims) claims.push(c);
        else byWorker.set(c.workerId, [c]);
      }
      void Promise.all(
        [...byWorker].map(async ([workerId, claims]) => {
          try {
            const rows = await this.claimMany(
              claims.map((c) => c.taskId),
              workerId,
            );
            const byId = new Map(rows.map((r) => [r.id, r]));
            for (const c of claims) c.resolve(byId.get(c.taskId));
          } catch (err) {
            for (const c of claims) c.reject(err);
          }
        }),
      ).finally(() => {
        this.claiming = false;
        if (this.pendingClaims.length) this.flushClaims();
      });
    });
  }

  private async claimMany(taskIds: string[], workerId: string): Promise<ClaimedTask[]> {
    const { rows } = await this.pool.query<ClaimedTask>(CLAIM_SQL, [taskIds, workerId]);
    return rows;
  }

  /**
   * Keeps this worker's running tasks and their leases alive; returns the ids whose cancellation was
   * requested (the fallback when the Redis cancel message was missed).
   */
  async heartbeat(taskIds: string[], leaseTtlMs: number): Promise<{ id: string; by: string | null }[]> {
    if (!taskIds.length) return [];
    const { rows } = await this.pool.query<{ id: string; by: string | null }>(HEARTBEAT_SQL, [taskIds, leaseTtlMs]);
    return rows;
  }

  /**
   * Running tasks whose worker is gone: its presence row has been silent for `deadAfterMs`, or (a
   * worker without a row: it exited cleanly, or predates presence) the task's own heartbeat for
   * `staleMs`. `live` are the caller's own running tasks, never orphans to it.
   */
  async findOrphans(staleMs: number, deadAfterMs: number, live: string[] = [], limit = 500): Promise<Orphan[]> {
    const { rows } = await sql<Orphan>`
      SELECT t.id::text, t.worker_id AS "workerId", t.type, t.mutating, t.attempt
        FROM task t LEFT JOIN worker_process w ON w.id = t.worker_id
       WHERE t.status = 'running' AND NOT (t.id = ANY(${live}::bigint[]))
         AND (w.beat_at < now() - ${ms(deadAfterMs)}
              OR (w.id IS NULL AND t.heartbeat_at < now() - ${ms(staleMs)}))
       ORDER BY t.id LIMIT ${limit}`.execute(this.db);
    return rows;
  }

  /**
   * Takes an orphan over, only if it is still the dead worker's: two reapers never both settle it.
   * Returns the last line number of its log, for the lines that follow.
   */
  async takeOver(orphan: Orphan, workerId: string): Promise<number | undefined> {
    const { rows } = await sql<{ last: number }>`
      UPDATE task SET worker_id = ${workerId}, heartbeat_at = now()
       WHERE id = ${orphan.id} AND status = 'running' AND worker_id IS NOT DISTINCT FROM ${orphan.workerId}
       RETURNING ${lastLogLine(sql`${orphan.id}::bigint`)} AS last`.execute(this.db);
    return rows[0]?.last;
  }

  /** Puts a taken-over read-only task back in the queue, its log continuing after `lastLine`. */
  async requeue(taskId: string, lastLine: number): Promise<TaskJobData | undefined> {
    const { rows } = await sql<TaskJobData>`
      UPDATE task SET status = 'queued', worker_id = NULL, heartbeat_at = NULL, log_lines = ${lastLine}
       WHERE id = ${taskId} AND status = 'running'
       RETURNING id::text AS "taskId", node_id AS "nodeId", mutating, attempt + 1 AS run`.execute(this.db);
    return rows[0];
  }

  /** Queued tasks older than `ageMs`, a page after `afterId`: candidates for re-enqueueing if Redis lost their job. */
  async findStaleQueued(ageMs: number, afterId = '0', limit = 1_000): Promise<TaskJobData[]> {
    const { rows } = await sql<TaskJobData>`
      SELECT id::text AS "taskId", node_id AS "nodeId", mutating, attempt + 1 AS run FROM task
       WHERE status = 'queued' AND NOT held AND start_time < now() - ${ms(ageMs)} AND id > ${afterId}
       ORDER BY id LIMIT ${limit}`.execute(this.db);
    return rows;
  }

  /** Replaces the stored plan with the one made from fresh facts at run time. */
  async savePlan(taskId: string, plan: unknown): Promise<void> {
    await this.db
      .updateTable('task')
      .set({ plan: JSON.stringify(plan) })
      .where('id', '=', taskId)
      .execute();
  }

  /** The oldest mutating task still waiting for this node's lease. */
  async nextQueuedMutating(nodeId: number): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('task')
      .select(sql<string>`id::text`.as('id'))
      .where('node_id', '=', nodeId)
      .where('mutating', '=', true)
      .where('status', '=', 'queued')
      .where('held', '=', false)
      // Qualified: a bare "id" would sort by the text alias above ('10' before '9').
      .orderBy('task.id')
      .limit(1)
      .executeTakeFirst();
    return row?.id;
  }
}
