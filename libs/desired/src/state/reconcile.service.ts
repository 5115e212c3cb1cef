import { Inject, Injectable } from '@nestjs/common';
import { ConflictError, Db, type Node } from '@pvefleet/db';
import { SpecError, type NodeFacts, type PlanView } from '@pvefleet/jobs';
import { NodesService } from '@pvefleet/nodes';
import { TaskSubmissionService, type TaskJobData } from '@pvefleet/tasks';
import { sql } from 'kysely';
import { desiredField } from '../desired-fields';
import { busyKey, planFixes, unconfirmedDestroys, type PlannedFix, type SkippedFix } from '../drift';
import type { NodeSelector } from '../selector';
import { DriftRecompute } from './drift-recompute';

export interface ReconcileRequest {
  selector: NodeSelector;
  /** Only these fields (all desired fields when absent). */
  fields?: string[];
  dryRun?: boolean;
  /** Destructive fixes run only when confirmed here: the node and exactly the devices they destroy. */
  confirm?: { node: string; devices: string[] }[];
}

export interface ReconcileTask {
  node: string;
  field: string;
  type: string;
  params: Record<string, unknown>;
  destroys?: string[];
  /** The task's UPID; null in a dry run. */
  upid: string | null;
  /** The kind's plan from the stored facts: the exact commands. */
  plan: PlanView;
}

export interface ReconcileAnswer {
  /** The `reconcile` row every task names (task.reconcile_id); null in a dry run. */
  reconcileId: number | null;
  dryRun: boolean;
  tasks: ReconcileTask[];
  skipped: SkippedFix[];
}

/** Serializes reconciles against each other, so two at once never fix one node and field twice. */
const RECONCILE_LOCK = 0x7265636f; // "reco"

/**
 * POST /reconcile: for every drifting `enforce` field of the selected nodes, its field's catalog
 * tasks through the ordinary task path (per-node serialization, UPIDs, logs), each naming the
 * reconcile and the field. A destructive fix without its exact confirmation stops the whole
 * request with a 409 before anything is written. Idempotent: a compliant field gets nothing, and a
 * field with an unfinished reconcile task gets no second one.
 */
@Injectable()
export class ReconcileService {
  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(NodesService) private readonly nodes: NodesService,
    @Inject(DriftRecompute) private readonly drift: DriftRecompute,
    @Inject(TaskSubmissionService) private readonly submission: TaskSubmissionService,
  ) {}

  async reconcile(req: ReconcileRequest, user: string): Promise<ReconcileAnswer> {
    checkFields(req.fields);
    const selected = await this.nodes.select(req.selector);
    const byName = new Map(selected.map((n) => [n.name, n]));
    const ids = selected.map((n) => n.id);
    const [computed, busy] = await Promise.all([this.drift.compute(ids), this.busy(this.db, ids)]);
    const { fixes, skipped } = planFixes(
      computed.map((c) => ({
        name: c.node.name,
        cluster: c.node.cluster,
        facts: (byName.get(c.node.name)?.facts as NodeFacts | null | undefined) ?? null,
        desired: c.desired,
        drift: c.drift,
      })),
      { busy, ...(req.fields ? { fields: req.fields } : {}) },
    );
    // Planned before anything is written: a fix the kind refuses is a 400 and nothing runs.
    const planned = fixes.map((f) => ({ fix: f, plan: this.planOf(f, byName) }));

    if (req.dryRun) {
      return { reconcileId: null, dryRun: true, tasks: planned.map((p) => view(p.fix, p.plan, null)), skipped };
    }
    const missing = unconfirmedDestroys(fixes, req.confirm ?? []);
    if (missing.length) {
      throw new ConflictError(
        `reconcile would destroy what is on these devices and runs nothing without a confirmation naming each node and exactly ` +
          `its devices (confirm: [{node, devices}]): ${missing.map((m) => `${m.node} (${m.field}): ${m.devices.join(', ')}`).join('; ')}`,
      );
    }
    return this.submit(req, user, planned, skipped, byName);
  }

  private async submit(
    req: ReconcileRequest,
    user: string,
    planned: { fix: PlannedFix; plan: PlanView }[],
    skipped: SkippedFix[],
    byName: Map<string, Node>,
  ): Promise<ReconcileAnswer> {
    const jobs: TaskJobData[] = [];
    const answer = await this.db.transaction().execute(async (trx): Promise<ReconcileAnswer> => {
      await sql`SELECT pg_advisory_xact_lock(${RECONCILE_LOCK})`.execute(trx);
      // Checked again under the lock: a reconcile that committed meanwhile may have taken some.
      const busy = await this.busy(
        trx,
        [...byName.values()].map((n) => n.id),
      );
      const now = planned.filter((p) => !busy.has(busyKey(p.fix.node, p.fix.field)));
      for (const p of planned) {
        if (!now.includes(p))
          skipped.push({ node: p.fix.node, field: p.fix.field, reason: 'a reconcile task for this field is still queued or running' });
      }
      const row = await trx
        .insertInto('reconcile')
        .values({ user, request: JSON.stringify(req) })
        .returning('id')
        .executeTakeFirstOrThrow();
      const tasks: ReconcileTask[] = [];
      // Fixes asking the same thing of several nodes become one request (one statement), as a fleet task would.
      for (const group of groupBy(now, (p) => JSON.stringify([p.fix.field, p.fix.type, p.fix.params]))) {
        const { fix } = group[0];
        const created = await this.submission.insert(trx, {
          nodes: group.map((p) => nodeOf(p.fix.node, byName)),
          type: fix.type,
          params: fix.params,
          user,
          reconcileId: row.id,
          desiredField: fix.field,
        });
        jobs.push(...created.jobs);
        group.forEach((p, i) => tasks.push(view(p.fix, p.plan, created.submitted[i].upid)));
      }
      await trx
        .updateTable('reconcile')
        .set({ tasks: JSON.stringify(tasks.map((t) => ({ node: t.node, field: t.field, upid: t.upid }))) })
        .where('id', '=', row.id)
        .execute();
      return { reconcileId: row.id, dryRun: false, tasks, skipped };
    });
    await this.submission.enqueue(jobs);
    return answer;
  }

  private planOf(fix: PlannedFix, byName: Map<string, Node>): PlanView {
    const [planned] = this.submission.plan({ nodes: [nodeOf(fix.node, byName)], type: fix.type, params: fix.params, user: 'reconcile' });
    return planned.plan;
  }

  /** `node\0field` of every reconcile task still queued or running on these nodes. */
  private async busy(on: Pick<Db, 'selectFrom'>, ids: number[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows = await on
      .selectFrom('task')
      .select(['node', 'desired_field'])
      .where('node_id', '=', sql<number>`ANY(${ids}::int[])`)
      .where('status', 'in', ['queued', 'running'])
      .where('reconcile_id', 'is not', null)
      .execute();
    return new Set(rows.flatMap((r) => (r.desired_field ? [busyKey(r.node, r.desired_field)] : [])));
  }
}

function checkFields(fields: string[] | undefined): void {
  const unknown = (fields ?? []).flatMap((key, i) => (desiredField(key) ? [] : [{ key, i }]));
  if (unknown.length) {
    throw new SpecError(unknown.map((u) => ({ field: `fields.${u.i}`, message: `'${u.key}' is not a desired-state field` })));
  }
}

function nodeOf(name: string, byName: Map<string, Node>): Pick<Node, 'id' | 'name' | 'facts'> {
  const node = byName.get(name);
  // Fixes come from the selected nodes only.
  if (!node) throw new Error(`reconcile planned a fix for '${name}', which it did not select`);
  return node;
}

function view(fix: PlannedFix, plan: PlanView, upid: string | null): ReconcileTask {
  return {
    node: fix.node,
    field: fix.field,
    type: fix.type,
    params: fix.params,
    ...(fix.destroys?.length ? { destroys: fix.destroys } : {}),
    upid,
    plan,
  };
}

function groupBy<T>(items: T[], key: (t: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return [...groups.values()];
}
