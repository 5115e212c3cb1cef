import { Inject, Injectable } from '@nestjs/common';
import { rolloutRequestSchema } from '@pvefleet/contracts';
import type { DB } from '@pvefleet/db';
import { ReconcileService } from '@pvefleet/desired/state';
import { NodesService } from '@pvefleet/nodes';
import { RolloutsService } from '@pvefleet/rollouts';
import { spreadOffsets } from '@pvefleet/schedules';
import { TaskSubmissionService } from '@pvefleet/tasks';
import type { Kysely } from 'kysely';
import type { StoredSchedule } from './schedule-documents';

/** Who a schedule's work runs as: its tasks, reconciles and rollouts name the schedule. */
export const scheduleUser = (s: Pick<StoredSchedule, 'name'>) => `schedule@pvefleet!${s.name}`;

/**
 * What a run of a schedule does. A job becomes one held task per selected node, written in the
 * run's own transaction (the run and its tasks exist together or not at all), each starting at the
 * fire time plus its node's place in the spread. A reconcile and a rollout go through their own
 * services after the run is recorded: they start their work themselves (a reconcile runs only
 * non-destructive fixes, as no schedule can confirm a destruction; a rollout batches by itself).
 */
@Injectable()
export class ScheduleActionRunner {
  constructor(
    @Inject(NodesService) private readonly nodes: NodesService,
    @Inject(TaskSubmissionService) private readonly submission: TaskSubmissionService,
    @Inject(ReconcileService) private readonly reconciles: ReconcileService,
    @Inject(RolloutsService) private readonly rollouts: RolloutsService,
  ) {}

  /** The job's held tasks, inside the caller's transaction; returns the run's detail. */
  async createHeldTasks(trx: Kysely<DB>, s: StoredSchedule, runId: number, fireAt: Date): Promise<Record<string, unknown>> {
    if (s.action.kind !== 'job') throw new Error(`schedule ${s.id}: createHeldTasks is for job actions, not ${s.action.kind}`);
    const selected = await this.nodes.select(s.selector);
    const offsets = spreadOffsets(
      s.id,
      selected.map((n) => n.name),
      s.spread,
    );
    const startAfter = new Map([...offsets].map(([node, ms]) => [node, new Date(fireAt.getTime() + ms)]));
    const req = { nodes: selected, type: s.action.type, params: s.action.params, user: scheduleUser(s), scheduleRunId: runId, startAfter };
    // Planned first: a kind that refuses the params now (its schema changed) fails the run, not the transaction.
    this.submission.plan(req);
    await this.submission.insert(trx, req);
    return { nodes: selected.length };
  }

  /** A reconcile or a rollout over the schedule's selector; returns the run's detail. */
  async startOther(s: StoredSchedule): Promise<Record<string, unknown>> {
    if (s.action.kind === 'reconcile') {
      const answer = await this.reconciles.reconcile(
        { selector: s.selector, ...(s.action.fields ? { fields: s.action.fields } : {}), confirm: [] },
        scheduleUser(s),
      );
      return { reconcileId: answer.reconcileId, nodes: new Set(answer.tasks.map((t) => t.node)).size, tasks: answer.tasks.length };
    }
    if (s.action.kind === 'rollout') {
      const request = rolloutRequestSchema.parse({ ...s.action.template, selector: s.selector, dryRun: false });
      const rollout = await this.rollouts.create(request, scheduleUser(s));
      return 'id' in rollout ? { rolloutId: rollout.id, nodes: rollout.progress.total } : {};
    }
    throw new Error(`schedule ${s.id}: a job action is run through createHeldTasks`);
  }
}
