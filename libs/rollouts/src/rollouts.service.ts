import { Injectable, Inject } from '@nestjs/common';
import { ConflictError, NotFoundError, type Node } from '@pvefleet/db';
import { JobRegistry, SpecError, parseOrThrow, type NodeFacts, type TaskType } from '@pvefleet/jobs';
import { NodeDesiredService } from '@pvefleet/desired/state';
import { NodesService } from '@pvefleet/nodes';
import { TaskSubmissionService } from '@pvefleet/tasks';
import { nextStep, STEPS, type StepName, type StepTask } from './node-steps';
import { guestTaskUpids, guestWhereabouts } from './guest-moves';
import { planRollout, type PlannerNode } from './rollout-planner';
import type { RolloutRequest } from './rollout.schemas';
import { RolloutRepository } from './rollout.repository';
import type { RolloutStatus } from './rollout.types';
import { plural } from './plural';
import { holdOf, type ReleaseRecord } from './node-release';
import { withDesiredUpgradePolicy } from './desired-upgrade-policy';

/** The API's side of rollouts: create (or dry-run), read, and steer them. The workers advance them. */
@Injectable()
export class RolloutsService {
  constructor(
    @Inject(RolloutRepository) private readonly repo: RolloutRepository,
    private readonly nodes: NodesService,
    @Inject(JobRegistry) private readonly registry: JobRegistry,
    @Inject(TaskSubmissionService) private readonly submission: TaskSubmissionService,
    @Inject(NodeDesiredService) private readonly desired: NodeDesiredService,
  ) {}

  async create(request: RolloutRequest, user: string) {
    const selected = await this.nodes.select(request.selector, 'selector');
    // What the request leaves out of the upgrade policy comes from the nodes' desired state (stored with the spec).
    const params = withDesiredUpgradePolicy(request.job.params, await this.desired.upgradePolicies(selected));
    const req: RolloutRequest = { ...request, job: { ...request.job, params } };
    parseOrThrow(this.registry.get(req.job.type).spec, req.job.params, 'job.params');
    const planned = planRollout(selected.map(toPlannerNode), req);
    if (req.dryRun) return { dryRun: true, ...planned, nodes: this.preview(selected, req, user) };
    const byName = new Map(selected.map((n) => [n.name, n]));
    const { dryRun: _dry, ...spec } = req;
    // Positions follow the batches, so progress reads [1/N], [2/N], … in the order nodes start.
    let position = 0;
    const rows = planned.batches.flatMap((batch, b) =>
      batch.map((name) => {
        const selectedNode = byName.get(name);
        if (!selectedNode) throw new Error(`the plan names ${name}, which was not selected`);
        return { node: name, nodeId: selectedNode.id, cluster: clusterOf(selectedNode), batch: b, position: ++position };
      }),
    );
    const id = await this.repo.create({
      spec,
      batches: planned.batches,
      user,
      nodes: rows,
      created: `created by ${user}: ${plural(selected.length, 'node')} in ${plural(planned.batches.length, 'batch', 'batches')}`,
    });
    return this.get(id);
  }

  /** A page of rollouts, newest first, with how many there are. */
  list(q: { start: number; limit: number; status?: RolloutStatus }) {
    return this.repo.list(q);
  }

  async get(id: number) {
    const r = await this.repo.find(id);
    if (!r) throw new NotFoundError(`rollout ${id} does not exist`);
    const count = (state: string) => r.nodes.filter((n) => n.state === state).length;
    const guests = await this.guestWhereabouts(r.nodes);
    return {
      id: r.id,
      status: r.status,
      reason: r.reason,
      user: r.user,
      createdAt: r.createdAt,
      startedAt: r.startedAt,
      endedAt: r.endedAt,
      spec: r.spec,
      batch: { current: r.currentBatch + 1, total: r.batches.length, nextAt: r.nextBatchAt },
      batches: r.batches,
      progress: {
        total: r.nodes.length,
        done: count('done'),
        skipped: count('skipped'),
        notStarted: count('not_started'),
        failed: count('failed'),
        running: count('running'),
        pending: count('pending'),
        aborted: count('aborted'),
      },
      nodes: r.nodes.map((n) => ({
        node: n.node,
        cluster: n.cluster,
        batch: n.batch + 1,
        position: n.position,
        state: n.state,
        step: n.step,
        task: n.taskUpid,
        detail: n.detail,
        tasks: n.tasks,
        guests: guests.get(n.node) ?? [],
        retries: n.retries,
        release: n.release,
        startedAt: n.startedAt,
        endedAt: n.endedAt,
      })),
    };
  }

  /** Where every guest a node's evacuation moved went, and whether it is back (from the evacuate and return tasks' results). */
  private async guestWhereabouts(nodes: { node: string; tasks: { step: StepName; upid: string }[] }[]) {
    const upids = nodes.flatMap((n) => guestTaskUpids(n.tasks));
    const outcomes = await this.repo.tasks(upids);
    const results = new Map([...outcomes].map(([upid, t]) => [upid, t.result]));
    return guestWhereabouts(nodes, (upid) => results.get(upid));
  }

  async events(id: number, after = 0, limit = 1_000) {
    await this.exists(id);
    return this.repo.events(id, after, limit);
  }

  /**
   * What a live feed needs since its position: the events after event id `after`, and the rollout's
   * status and reason now. Two small reads; no node is loaded.
   */
  async changesSince(id: number, after: number, limit = 1_000) {
    const changes = await this.repo.changesSince(id, after, limit);
    if (!changes) throw new NotFoundError(`rollout ${id} does not exist`);
    return changes;
  }

  async pause(id: number, by: string) {
    return this.transition(id, ['running'], 'paused', `paused by ${by}: nodes in flight finish their steps, nothing new starts`);
  }

  async resume(id: number, by: string) {
    return this.transition(id, ['paused'], 'running', `resumed by ${by}`);
  }

  async approve(id: number, by: string) {
    if (!(await this.repo.approve(id))) throw await this.conflict(id, 'approve', ['awaiting_approval']);
    await this.repo.event(id, `approved by ${by}: the next batch starts`);
    return this.get(id);
  }

  /** `leaveMaintenance` unset: nodes not yet upgraded leave HA maintenance, the others stay (see leavesOnAbort). */
  async abort(id: number, by: string, leaveMaintenance?: boolean) {
    const leaving =
      leaveMaintenance === undefined
        ? 'nodes not yet upgraded leave HA maintenance'
        : leaveMaintenance
          ? 'every node leaves HA maintenance'
          : 'nodes stay in HA maintenance';
    return this.transition(
      id,
      ['pending', 'running', 'paused', 'awaiting_approval', 'halting'],
      'aborting',
      `abort requested by ${by}: each node stops after its current step; ${leaving}`,
      { abortLeaveMaintenance: leaveMaintenance ?? null },
    );
  }

  /**
   * Puts a node a stopped rollout left in maintenance (or under noout) back in service. Only recorded
   * here: the workers check its health and undo maintenance and noout, each step a task.
   */
  async release(id: number, node: string, by: string) {
    const r = await this.repo.nodeOf(id, node);
    if (!r) throw new NotFoundError(`rollout ${id} does not exist`);
    if (!STOPPED.includes(r.status)) {
      throw new ConflictError(
        `rollout ${id} is ${r.status}: a node is released only once its rollout has stopped (${STOPPED.join(', ')}): abort it, or wait for it to stop`,
      );
    }
    const row = r.node;
    if (!row) throw new NotFoundError(`node ${node} is not in rollout ${id}`);
    const release = row.release;
    if (release?.state === 'running')
      throw new ConflictError(`node ${node} is being released already (since ${release.at}, by ${release.by})`);
    const hold = holdOf({
      node,
      cluster: row.cluster,
      step: row.step,
      tasks: row.tasks,
      release,
    });
    if (!hold.maintenance && !hold.noout)
      throw new ConflictError(`node ${node} is not held by rollout ${id}: it left no HA maintenance mode and no ceph noout on it`);
    const record: ReleaseRecord = { by, at: new Date().toISOString(), state: 'running', tasks: [] };
    // Guarded like the orchestrator's writes: a concurrent request for the same node starts nothing twice.
    if (!(await this.repo.claimRelease(row.id, record))) throw new ConflictError(`node ${node} is being released already`);
    await this.repo.event(id, `${node}: release requested by ${by}: its health is checked, then ceph noout and HA maintenance are undone`, {
      node,
    });
    return this.get(id);
  }

  private async transition(
    id: number,
    from: RolloutStatus[],
    to: RolloutStatus,
    message: string,
    extra: { abortLeaveMaintenance?: boolean | null } = {},
  ) {
    if (!(await this.repo.steer(id, from, to, extra))) throw await this.conflict(id, to, from);
    await this.repo.event(id, message, { level: to === 'aborting' ? 'warn' : 'info' });
    return this.get(id);
  }

  private async conflict(id: number, action: string, from: RolloutStatus[]) {
    const r = await this.exists(id);
    return new ConflictError(`rollout ${id} is ${r.status}; ${action} needs it to be ${from.join(' or ')}`);
  }

  private async exists(id: number) {
    const r = await this.repo.statusOf(id);
    if (!r) throw new NotFoundError(`rollout ${id} does not exist`);
    return r;
  }

  /** Every step's task with its exact commands, per node, from stored facts (assuming every step succeeds). */
  private preview(nodes: Node[], req: RolloutRequest, user: string) {
    return nodes.map((node) => {
      const cluster = clusterOf(node);
      // Every other selected member: at run time eligibility is re-decided and each guest placed by free memory.
      const targets = nodes.filter((n) => n.name !== node.name && clusterOf(n) === cluster).map((n) => n.name);
      const steps: { step: StepName; type: TaskType; params: StepTask['params']; plan: unknown }[] = [];
      let prev: StepName | null = null;
      for (let i = 0; i < STEPS.length; i++) {
        // From the stored facts: the inspect step re-reads them, so a node may still be skipped or go further.
        const next = nextStep(prev, {
          node: node.name,
          clustered: cluster !== null,
          ceph: false,
          spec: req,
          facts: (node.facts as NodeFacts | null) ?? null,
          migrationTargets: () => targets,
          evacuated: () => [],
        });
        if (!('task' in next)) break;
        const [planned] = this.submission.plan({ nodes: [node], type: next.task.type, params: next.task.params, user });
        steps.push({ step: next.task.step, type: next.task.type, params: next.task.params, plan: planned.plan });
        prev = next.task.step;
      }
      return { node: node.name, cluster, steps };
    });
  }
}

const STOPPED: RolloutStatus[] = ['halted', 'aborted', 'failed', 'completed'];

function clusterOf(n: Node): string | null {
  return (n.facts as NodeFacts | null)?.cluster?.name ?? null;
}

function toPlannerNode(n: Node): PlannerNode {
  const facts = n.facts as NodeFacts | null;
  if (!facts)
    throw new SpecError([
      {
        field: 'selector',
        message: `node ${n.name} has no facts yet: run facts on it first (rollouts group nodes by the cluster they report)`,
      },
    ]);
  return {
    name: n.name,
    cluster: facts.cluster?.name ?? null,
    expectedVotes: facts.cluster?.expectedVotes ?? null,
    labels: (n.labels ?? {}) as Record<string, string>,
  };
}
