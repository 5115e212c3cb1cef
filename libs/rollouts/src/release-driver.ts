import { SpecError } from '@pvefleet/jobs';
import { describeFailure, type TaskSubmissionService } from '@pvefleet/tasks';
import { describeRelease, holdOf, succeeded, undoStep, type ReleaseRecord, type ReleaseStep } from './node-release';
import { taskFor, type StepTask } from './node-steps';
import type { RolloutRepository } from './rollout.repository';
import { wasInterrupted, type ReleasingNode, type RolloutNodeRow, type RolloutRow, type TaskOutcome } from './rollout.types';

/** A step whose worker died is run again (each is idempotent), at most this often, as the rollout's own steps are. */
const MAX_ATTEMPTS = 3;

/**
 * Releases a node its stopped rollout left in maintenance (POST …/nodes/{node}/release): a health
 * check first, then noout unset (when no other node of its cluster in the rollout needs it) and
 * maintenance left, each a task. Every decision is written with its task in one transaction before
 * the task is enqueued, guarded by the task before it, so a crash or a second worker repeats nothing.
 */
export class ReleaseDriver {
  constructor(
    private readonly store: RolloutRepository,
    private readonly submission: TaskSubmissionService,
  ) {}

  async advance(ro: RolloutRow, node: ReleasingNode, nodes: RolloutNodeRow[], tasks: Map<string, TaskOutcome>): Promise<void> {
    const release = node.release;
    let done = release.tasks;
    if (release.upid) {
      const outcome = tasks.get(release.upid);
      if (!outcome || outcome.status !== 'stopped') return;
      done = done.map((t) => (t.upid === release.upid ? { ...t, exitstatus: outcome.exitstatus } : t));
      if (outcome.isError) {
        const attempts = done.filter((t) => t.step === release.step).length;
        if (!(wasInterrupted(outcome) && attempts < MAX_ATTEMPTS)) {
          const detail = `release failed at ${release.step}: ${outcome.exitstatus} (nothing after it ran)`;
          return this.end(ro, node, { ...release, tasks: done, state: 'failed', detail }, 'error');
        }
        await this.store.event(ro.id, `${node.node}: release: ${release.step} was interrupted (its worker was lost); running it again`, {
          level: 'warn',
          node: node.node,
        });
      }
    }
    const current: RolloutNodeRow = { ...node, release: { ...release, tasks: done } };
    const next: (StepTask & { step: ReleaseStep }) | undefined = !done.some((t) => t.step === 'health' && succeeded(t.exitstatus))
      ? {
          ...taskFor(
            'health',
            'nodehealth',
            { waitSeconds: ro.spec.timeouts.health, ...(this.ceph(ro, node) ? { ceph: true } : {}) },
            'checking its health',
          ),
          step: 'health',
        }
      : undoStep(
          current,
          nodes.map((n) => (n.id === node.id ? current : n)),
          ro.spec.timeouts.maintenance,
        );
    if (!next) {
      const detail = describeRelease(done, holdOf(current).noout);
      return this.end(ro, node, { ...release, tasks: done, state: 'released', step: undefined, upid: undefined, detail }, 'info');
    }
    await this.start(ro, node, { ...release, tasks: done }, next);
  }

  private async start(ro: RolloutRow, node: RolloutNodeRow, release: ReleaseRecord, next: StepTask & { step: ReleaseStep }): Promise<void> {
    const nodeId = node.nodeId;
    if (nodeId === null) return this.end(ro, node, { ...release, state: 'failed', detail: 'the node was removed from pvefleet' }, 'error');
    let upid = '';
    try {
      const jobs = await this.store.transaction(async (tx) => {
        const req = {
          nodes: [{ id: nodeId, name: node.node, facts: node.facts as never }],
          type: next.type,
          params: next.params,
          user: release.by,
          rolloutId: ro.id,
        };
        const { submitted, jobs } = await this.submission.insert(tx, req);
        upid = submitted[0].upid;
        const record: ReleaseRecord = { ...release, step: next.step, upid, tasks: [...release.tasks, { step: next.step, upid }] };
        if (!(await this.store.saveRelease(node, record, tx))) throw new LostRace();
        return jobs;
      });
      await this.submission.enqueue(jobs);
    } catch (err) {
      if (err instanceof LostRace) return;
      const detail = `release cannot start ${next.step}: ${err instanceof SpecError ? err.message : describeFailure(err)}`;
      return this.end(ro, node, { ...release, state: 'failed', detail }, 'error');
    }
    await this.store.event(ro.id, `${node.node}: release: ${next.doing} [${upid}]`, { node: node.node });
  }

  private async end(ro: RolloutRow, node: RolloutNodeRow, record: ReleaseRecord, level: 'info' | 'error'): Promise<void> {
    if (await this.store.saveRelease(node, record)) {
      await this.store.event(ro.id, `${node.node}: ${record.detail}`, { level, node: node.node });
    }
  }

  private ceph(ro: RolloutRow, node: RolloutNodeRow): boolean {
    return !!(node.cluster && ro.clusters[node.cluster]?.ceph);
  }
}

class LostRace extends Error {}
