import { Inject, Injectable, Logger } from '@nestjs/common';
import { Db, type Node } from '@pvefleet/db';
import { errorMessage } from '@pvefleet/errors';
import { JobRegistry, SpecError, parseOrThrow, planView, type JobKind, type NodeFacts, type PlanView } from '@pvefleet/jobs';
import { TaskRepository, type IdempotencyClaim, type SqlExecutor } from '../persistence/task.repository';
import { TaskQueue, type TaskJobData } from '../task-queue';
import { encodeUpid } from '../upid';

export interface SubmitRequest {
  /** A null id: a node removed from pvefleet since (a rollout's pre-flight); its task fails when it runs. */
  nodes: (Pick<Node, 'name' | 'facts'> & { id: number | null })[];
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
  /** Internal, never from the API: the rollout whose step this is. */
  rolloutId?: number;
  /** Internal, never from the API: the reconcile (POST /reconcile) that asks for this fix. */
  reconcileId?: number;
  /** Internal, never from the API: the desired-state field the task converges. */
  desiredField?: string;
  /** Internal, never from the API: the schedule run that creates these tasks. */
  scheduleRunId?: number;
  /**
   * Internal, never from the API: a scheduled task's start time per node name. Such tasks are written
   * held and not enqueued: the worker's task release loop enqueues each once its time (and its node's
   * maintenance window) has come.
   */
  startAfter?: ReadonlyMap<string, Date>;
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
@Injectable()
export class TaskSubmissionService {
  private readonly logger = new Logger('Tasks');

  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(TaskRepository) private readonly tasks: TaskRepository,
    @Inject(JobRegistry) private readonly registry: JobRegistry,
    @Inject(TaskQueue) private readonly queue: TaskQueue,
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
    type Created = { submitted: SubmittedTask[]; jobs: TaskJobData[] };
    const created = await this.db.transaction().execute(async (trx): Promise<Created> => {
      const earlier = idempotency && (await this.tasks.claimIdempotencyKey<Created>(trx, idempotency));
      if (earlier) return earlier;
      const fresh = await this.insert(trx, req);
      if (idempotency) await this.tasks.recordIdempotentAnswer(trx, idempotency, fresh);
      return fresh;
    });
    await this.enqueue(created.jobs);
    return created.submitted;
  }

  /**
   * Writes the task rows inside the caller's transaction; the caller enqueues (with `enqueue`) after
   * its commit. Rollouts use this so a step's task and the step's state change commit together.
   */
  async insert(on: SqlExecutor, req: SubmitRequest): Promise<{ submitted: SubmittedTask[]; jobs: TaskJobData[] }> {
    const planned = this.plan(req);
    if (!planned.length) return { submitted: [], jobs: [] };
    const ids = await this.tasks.nextIds(on, planned.length);
    const now = new Date();
    const starttime = Math.floor(now.getTime() / 1000);
    const tasks = planned.map((p, i) => {
      const taskId = ids[i];
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
    await this.tasks.insert(
      on,
      {
        user: req.user,
        startTime: now,
        params: req.params,
        connectWaitMs: req.connectWaitMs ?? null,
        rolloutId: req.rolloutId ?? null,
        reconcileId: req.reconcileId ?? null,
        desiredField: req.desiredField ?? null,
        scheduleRunId: req.scheduleRunId ?? null,
      },
      tasks.map((t) => ({
        id: t.taskId,
        upid: t.upid,
        node: t.p.node,
        nodeId: t.nodeId,
        type: t.p.type,
        objectId: t.p.id,
        mutating: t.p.mutating,
        plan: t.p.plan,
        startAfter: req.startAfter?.get(t.p.node) ?? null,
      })),
    );
    return {
      submitted: tasks.map((t) => ({ upid: t.upid, node: t.p.node, type: t.p.type, id: t.p.id, status: 'queued', taskId: t.taskId })),
      // Held tasks get no job: the task release loop enqueues them when their time comes.
      jobs: req.startAfter ? [] : tasks.map((t) => ({ taskId: t.taskId, nodeId: t.nodeId, mutating: t.p.mutating })),
    };
  }

  /** Hands committed tasks to the queue; a Redis outage only delays them (workers re-enqueue). */
  async enqueue(jobs: TaskJobData[]): Promise<void> {
    if (!jobs.length) return;
    try {
      await this.queue.enqueue(jobs);
    } catch (err) {
      this.logger.warn(
        `enqueue of ${jobs.length} tasks failed (${errorMessage(err)}); they stay queued in Postgres and workers re-enqueue them`,
      );
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
