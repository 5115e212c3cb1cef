import type { PoolClient } from 'pg';
import type { Node, PgPool } from '@pvefleet/db';
import { SpecError, parseOrThrow, planView, type JobKind, type JobRegistry, type NodeFacts, type PlanView } from '@pvefleet/jobs';
import type { TaskJobData, TaskQueue } from '../task-queue';
import { encodeUpid } from '../upid';
import { IdempotencyKeys, type IdempotencyClaim } from './idempotency';

export interface SubmitRequest {
  nodes: Pick<Node, 'id' | 'name' | 'facts'>[];
  type: string;
  params: unknown;
  /** Who asks: the token's identity, e.g. `admin@pvefleet!ci`. */
  user: string;
  dryRun?: boolean;
  /**
   * Internal, never from the API: how long the task's first connection may keep retrying an
   * unreachable node (a rollout step re-run while its node may still be rebooting).
   */
  connectWaitMs?: number;
}

export interface PlannedTask {
  node: string;
  type: string;
  id: string;
  mutating: boolean;
  plan: PlanView;
}

export interface SubmittedTask {
  upid: string;
  node: string;
  type: string;
  id: string;
  status: 'queued';
  /** The task row's id (for callers that link to it). */
  taskId: string;
}

/** Seconds-resolution start of this process: the `pstart` of every UPID it creates. */
const PSTART = Math.floor(Date.now() / 1000);

/**
 * Turns a request into tasks: validates the spec once, plans every node, writes the task rows, and
 * only then enqueues their ids. If Redis is down the tasks still exist and the workers' re-enqueue
 * sweep delivers them later.
 */
export class TaskSubmissionService {
  constructor(
    private readonly pool: PgPool,
    private readonly registry: JobRegistry,
    private readonly queue: TaskQueue,
    private readonly onEnqueueError: (err: Error) => void = () => {},
  ) {}

  plan(req: SubmitRequest): PlannedTask[] {
    const kind = this.kind(req.type);
    const spec = parseOrThrow(kind.spec, req.params ?? {}, 'params');
    const id = kind.objectId?.(spec) ?? '';
    const mutating = kind.isMutating?.(spec) ?? kind.mutating;
    return req.nodes.map((node) => ({ node: node.name, type: kind.type, id, mutating, plan: this.planFor(kind, spec, node) }));
  }

  /**
   * Writes every task of the request in one transaction (all of them exist, or none), then enqueues
   * them. With an idempotency claim, a request already answered gets that answer again: the same
   * tasks, enqueued again in case the first attempt died between its commit and its enqueue
   * (harmless: job ids are task ids).
   */
  async submit(req: SubmitRequest, idempotency?: IdempotencyClaim): Promise<SubmittedTask[]> {
    const client = await this.pool.connect();
    let tasks: { submitted: SubmittedTask[]; jobs: TaskJobData[] };
    try {
      await client.query('BEGIN');
      const earlier = idempotency && (await IdempotencyKeys.claim<typeof tasks>(client, idempotency));
      tasks = earlier ?? (await this.insert(client, req));
      if (idempotency && !earlier) await IdempotencyKeys.record(client, idempotency, tasks);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
    await this.enqueue(tasks.jobs);
    return tasks.submitted;
  }

  /**
   * Writes the task rows inside the caller's transaction; the caller enqueues (with `enqueue`) after
   * its commit. Rollouts use this so a step's task and the step's state change commit together.
   */
  async insert(client: PoolClient, req: SubmitRequest): Promise<{ submitted: SubmittedTask[]; jobs: TaskJobData[] }> {
    const planned = this.plan(req);
    if (!planned.length) return { submitted: [], jobs: [] };
    const { rows } = await client.query<{ id: string }>(
      `SELECT nextval(pg_get_serial_sequence('task', 'id'))::text AS id FROM generate_series(1, $1)`,
      [planned.length],
    );
    const now = new Date();
    const starttime = Math.floor(now.getTime() / 1000);
    const tasks = planned.map((p, i) => {
      const taskId = rows[i].id;
      const upid = encodeUpid({
        node: p.node,
        pid: Number(BigInt(taskId) & 0xffffffffn),
        pstart: PSTART,
        starttime,
        type: p.type,
        id: p.id,
        user: req.user,
      });
      return { taskId, upid, p, nodeId: req.nodes[i].id };
    });
    await client.query(
      `INSERT INTO task (id, upid, node, node_id, type, object_id, "user", mutating, start_time, params, plan, connect_wait_ms)
       SELECT u.id, u.upid, u.node, u.node_id, u.type, u.object_id, $7, u.mutating, $8, $9::jsonb, u.plan, $12::int
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::jsonb[], $6::bool[], $10::text[], $11::text[])
           AS u(id, upid, node, node_id, plan, mutating, type, object_id)`,
      [
        tasks.map((t) => t.taskId),
        tasks.map((t) => t.upid),
        tasks.map((t) => t.p.node),
        tasks.map((t) => t.nodeId),
        tasks.map((t) => JSON.stringify(t.p.plan)),
        tasks.map((t) => t.p.mutating),
        req.user,
        now,
        JSON.stringify(req.params ?? {}),
        tasks.map((t) => t.p.type),
        tasks.map((t) => t.p.id),
        req.connectWaitMs ?? null,
      ],
    );
    return {
      submitted: tasks.map((t) => ({ upid: t.upid, node: t.p.node, type: t.p.type, id: t.p.id, status: 'queued', taskId: t.taskId })),
      jobs: tasks.map((t) => ({ taskId: t.taskId, nodeId: t.nodeId, mutating: t.p.mutating })),
    };
  }

  /** Hands committed tasks to the queue; a Redis outage only delays them (workers re-enqueue). */
  async enqueue(jobs: TaskJobData[]): Promise<void> {
    if (!jobs.length) return;
    try {
      await this.queue.enqueue(jobs);
    } catch (err) {
      this.onEnqueueError(err as Error);
    }
  }

  private kind(type: string): JobKind {
    const kind = this.registry.get(type);
    if (!kind) throw new SpecError([{ field: 'type', message: `unknown task type '${type}' (known: ${this.registry.types.join(', ')})` }]);
    return kind;
  }

  /**
   * The plan from the node's stored facts. Kinds that plan from facts re-plan from fresh ones when
   * the task runs (and store that plan); without stored facts there is nothing to show yet.
   */
  private planFor(kind: JobKind, spec: unknown, node: Pick<Node, 'name' | 'facts'>): PlanView {
    const facts = (node.facts as NodeFacts | null) ?? null;
    if (kind.usesFacts && !facts?.collectedAt) {
      return {
        notes: [`no facts about ${node.name} yet: the task reads them first and plans from them (run 'facts' to see the plan now)`],
        steps: [],
      };
    }
    const view = planView(kind.plan(spec, facts));
    if (kind.usesFacts && facts?.collectedAt) {
      view.notes.unshift(`planned from facts of ${new Date(facts.collectedAt).toISOString()}; the task re-reads them first`);
    }
    return view;
  }
}
