import type { Node } from '@pvefleet/db';
import type { PgPool, PrismaService } from '@pvefleet/db';
import { SpecError, parseOrThrow, planView, type JobKind, type JobRegistry, type NodeFacts, type PlanView } from '@pvefleet/jobs';
import type { TaskQueue } from '../task-queue';
import { encodeUpid } from '../upid';

export interface SubmitRequest {
  nodes: Node[];
  type: string;
  params: unknown;
  /** Who asks: the token's identity, e.g. `admin@pvefleet!ci`. */
  user: string;
  dryRun?: boolean;
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
    private readonly prisma: PrismaService,
    private readonly pool: PgPool,
    private readonly registry: JobRegistry,
    private readonly queue: TaskQueue,
    private readonly onEnqueueError: (err: Error) => void = () => {},
  ) {}

  plan(req: SubmitRequest): PlannedTask[] {
    const kind = this.registry.get(req.type);
    if (!kind) {
      throw new SpecError([{ field: 'type', message: `unknown task type '${req.type}' (known: ${this.registry.types.join(', ')})` }]);
    }
    const spec = parseOrThrow(kind.spec, req.params ?? {}, 'params');
    const id = kind.objectId?.(spec) ?? '';
    return req.nodes.map((node) => ({ node: node.name, type: kind.type, id, mutating: kind.mutating, plan: this.planFor(kind, spec, node) }));
  }

  /**
   * The plan from the node's stored facts. Kinds that plan from facts re-plan from fresh ones when
   * the task runs (and store that plan); without stored facts there is nothing to show yet.
   */
  private planFor(kind: JobKind, spec: unknown, node: Node): PlanView {
    const facts = (node.facts as NodeFacts | null) ?? null;
    if (kind.usesFacts && !facts?.collectedAt) {
      return { notes: [`no facts about ${node.name} yet: the task reads them first and plans from them (run 'facts' to see the plan now)`], steps: [] };
    }
    const view = planView(kind.plan(spec, facts));
    if (kind.usesFacts && facts?.collectedAt) {
      view.notes.unshift(`planned from facts of ${new Date(facts.collectedAt).toISOString()}; the task re-reads them first`);
    }
    return view;
  }

  async submit(req: SubmitRequest): Promise<SubmittedTask[]> {
    const planned = this.plan(req);
    if (!planned.length) return [];
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT nextval(pg_get_serial_sequence('task', 'id'))::text AS id FROM generate_series(1, $1)`,
      [planned.length],
    );
    const now = new Date();
    const starttime = Math.floor(now.getTime() / 1000);
    const tasks = planned.map((p, i) => {
      const taskId = rows[i].id;
      const node = req.nodes[i];
      const upid = encodeUpid({ node: p.node, pid: Number(BigInt(taskId) & 0xffffffffn), pstart: PSTART, starttime, type: p.type, id: p.id, user: req.user });
      return { taskId, nodeId: node.id, mutating: p.mutating, row: {
        id: BigInt(taskId), upid, node: p.node, nodeId: node.id, type: p.type, objectId: p.id, user: req.user,
        mutating: p.mutating, startTime: now, params: (req.params ?? {}) as object, plan: p.plan as unknown as object,
      } };
    });
    await this.prisma.task.createMany({ data: tasks.map((t) => t.row) });
    try {
      await this.queue.enqueue(tasks.map(({ taskId, nodeId, mutating }) => ({ taskId, nodeId, mutating })));
    } catch (err) {
      this.onEnqueueError(err as Error);
    }
    return tasks.map((t) => ({ upid: t.row.upid, node: t.row.node, type: t.row.type, id: t.row.objectId, status: 'queued' }));
  }
}
