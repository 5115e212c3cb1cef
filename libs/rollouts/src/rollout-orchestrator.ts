import { SpecError, type NodeFacts, type TaskParams, type TaskType } from '@pvefleet/jobs';
import { describeFailure, type TaskJobData, type TaskSubmissionService } from '@pvefleet/tasks';
import { describeStop, nextStep, STEPS, type NextStep, type StepName, type StepTask } from './node-steps';
import { resolveCount } from './rollout-planner';
import type { RolloutRepository } from './rollout.repository';
import { wasInterrupted, type ReleasingNode, type RolloutNodeRow, type RolloutRow, type TaskOutcome } from './rollout.types';
import { MigrationTargets } from './migration-targets';
import { evacuatedGuests, guestTaskUpids } from './guest-moves';
import { plural } from './plural';
import { leavesOnAbort, undoStep } from './node-release';
import { ReleaseDriver } from './release-driver';
import { systemClock, type Clock } from '@pvefleet/config';
import { BatchWindowGate } from './batch-window';
import type { RolloutWindows } from './rollout-windows';

const TERMINAL = new Set(['done', 'skipped', 'not_started', 'failed', 'aborted']);
/** A step whose worker died mid-task is run again (steps are idempotent), at most this often per node. */
const MAX_RETRIES = 3;

/**
 * Advances one rollout by one tick. Everything it decides on is read from Postgres at the start of
 * the tick, and every change is a guarded statement, so a tick can stop anywhere (a crash, a lost
 * lease) and the next one, in any worker, carries on without repeating a finished step.
 */
export class RolloutOrchestrator {
  private readonly releases: ReleaseDriver;
  private readonly windows: BatchWindowGate;

  constructor(
    private readonly store: RolloutRepository,
    private readonly submission: TaskSubmissionService,
    windows?: RolloutWindows,
    clock: Clock = systemClock,
  ) {
    this.releases = new ReleaseDriver(store, submission);
    this.windows = new BatchWindowGate(store, windows, clock);
  }

  async advance(id: number): Promise<void> {
    const loaded = await this.store.load(id);
    if (!loaded) return;
    const tick = new Tick(this.store, this.submission, this.releases, this.windows, loaded.rollout, loaded.nodes);
    await tick.run();
  }
}

class Tick {
  private tasks = new Map<string, TaskOutcome>();
  private targets: MigrationTargets;

  constructor(
    private readonly store: RolloutRepository,
    private readonly submission: TaskSubmissionService,
    private readonly releases: ReleaseDriver,
    private readonly windows: BatchWindowGate,
    private readonly ro: RolloutRow,
    private readonly nodes: RolloutNodeRow[],
  ) {
    this.targets = new MigrationTargets(store, nodes, ro.currentBatch);
  }

  async run(): Promise<void> {
    const releasing = this.nodes.filter((n): n is ReleasingNode => n.release?.state === 'running');
    const upids = [
      ...this.nodes.map((n) => n.taskUpid),
      ...this.nodes.flatMap((n) => guestTaskUpids(n.tasks)),
      ...Object.values(this.ro.preflight),
      ...releasing.map((n) => n.release.upid),
    ].filter((u): u is string => !!u);
    this.tasks = await this.store.tasks(upids);
    for (const node of releasing) await this.releases.advance(this.ro, node, this.nodes, this.tasks);
    if (this.ro.status === 'pending') return this.start();
    for (const node of this.nodes.filter((n) => n.state === 'running')) await this.advanceNode(node);
    if (this.ro.status === 'running') {
      await this.enforceBudgets();
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- enforceBudgets may have halted it; TypeScript keeps the narrowing across the call
      if (this.ro.status === 'running') await this.driveBatch();
    }
    if ((this.ro.status === 'halting' || this.ro.status === 'aborting') && !this.nodes.some((n) => n.state === 'running'))
      await this.settle();
  }

  // ---- starting -----------------------------------------------------------------------------

  private async start(): Promise<void> {
    if (this.ro.spec.majorUpgrade && !(await this.majorUpgradeChecksPass())) return;
    if (await this.store.setStatus(this.ro.id, ['pending'], 'running')) {
      this.ro.status = 'running';
      await this.store.event(
        this.ro.id,
        `started: ${plural(this.nodes.length, 'node')} in ${plural(this.ro.batches.length, 'batch', 'batches')}`,
      );
    }
  }

  /** pve8to9 --full on every node first; any failure refuses the whole rollout. */
  private async majorUpgradeChecksPass(): Promise<boolean> {
    const missing = this.nodes.filter((n) => !this.ro.preflight[`pve8to9:${n.node}`]);
    if (missing.length) {
      // Jobs go to the queue only after the commit: a worker must find the task row it is handed.
      const jobs = await this.store
        .transaction(async (tx) => {
          const all: TaskJobData[] = [];
          for (const n of missing) {
            const { submitted, jobs: mine } = await this.submission.insert(tx, this.taskRequest(n, 'pve8to9', {}));
            if (!(await this.store.addPreflight(tx, this.ro.id, `pve8to9:${n.node}`, submitted[0].upid))) throw new LostRace();
            all.push(...mine);
          }
          return all;
        })
        .catch((err: unknown) => {
          if (err instanceof LostRace) return [];
          throw err;
        });
      await this.submission.enqueue(jobs);
      await this.store.event(this.ro.id, `major upgrade: running pve8to9 --full on ${plural(missing.length, 'node')}`);
      return false;
    }
    const checks = this.nodes.map((n) => ({ node: n.node, task: this.tasks.get(this.ro.preflight[`pve8to9:${n.node}`]) }));
    const stopped = checks.flatMap(({ node, task }) => (task?.status === 'stopped' ? [{ node, task }] : []));
    if (stopped.length < checks.length) return false;
    const failed = stopped.filter((c) => c.task.isError);
    if (failed.length) {
      const reason = `refused: pve8to9 reports problems on ${failed.map((f) => `${f.node} (${f.task.exitstatus})`).join(', ')}`;
      await this.store.setStatus(this.ro.id, ['pending'], 'failed', reason, { message: reason, level: 'error' });
      return false;
    }
    await this.store.event(
      this.ro.id,
      `pve8to9 --full: no failures on ${checks.length === 1 ? 'its one node' : `any of the ${plural(checks.length, 'node')}`}`,
    );
    return true;
  }

  // ---- nodes --------------------------------------------------------------------------------

  private async advanceNode(node: RolloutNodeRow): Promise<void> {
    const outcome = node.taskUpid ? this.tasks.get(node.taskUpid) : undefined;
    if (!outcome || outcome.status !== 'stopped') return;
    const step = node.step;
    // advanceNode writes a node's step and its task together: a task without a step is a broken row.
    if (step === null) throw new Error(`${this.tag(node)}: task ${outcome.upid} has no step`);
    if (outcome.isError) {
      if (wasInterrupted(outcome) && node.retries < MAX_RETRIES && this.ro.status !== 'aborting') {
        await this.store.noteExit(node, outcome.exitstatus);
        await this.store.event(this.ro.id, `${this.tag(node)}: ${step} was interrupted (its worker was lost); running it again`, {
          level: 'warn',
          node: node.node,
        });
        const task = await this.taskForStep(step, node);
        if ('task' in task && task.task.step === step) await this.startStep(node, task.task, { retry: true });
        else await this.follow(node, task);
        return;
      }
      const detail = `failed at ${step}: ${outcome.exitstatus} (${describeStop(this.stepsDone(node, false))})`;
      if (await this.store.finishNode(node, 'failed', detail, outcome.exitstatus)) {
        node.state = 'failed';
        await this.store.event(this.ro.id, `${this.tag(node)}: ${detail} [${outcome.upid}]`, { level: 'error', node: node.node });
      }
      return;
    }
    await this.store.noteExit(node, outcome.exitstatus);
    if (this.ro.status === 'aborting') {
      // Out of maintenance (noout first) through tasks of its own, unless it may be half-upgraded or the abort said stay.
      const leaves = leavesOnAbort(this.stepsDone(node, true), this.ro.abortLeaveMaintenance);
      const undo = leaves ? undoStep(node, this.nodes, this.ro.spec.timeouts.maintenance) : undefined;
      if (undo) return this.startStep(node, { ...undo, doing: `abort: ${undo.doing}` }, { undo: true });
      // Out of maintenance and not upgraded: the guests its evacuation moved come home, as after an upgrade.
      const back = leaves && step === 'leave' ? await this.next('leave', node) : undefined;
      if (back && 'task' in back && back.task.step === 'return') {
        return this.startStep(node, { ...back.task, doing: `abort: ${back.task.doing}` }, { undo: true });
      }
      const detail = `stopped by abort after ${step}: ${describeStop(this.stepsDone(node, true))}`;
      if (await this.store.finishNode(node, 'aborted', detail)) {
        node.state = 'aborted';
        await this.store.event(this.ro.id, `${this.tag(node)}: ${detail}`, { level: 'warn', node: node.node });
      }
      return;
    }
    if ((step === 'inspect' || step === 'verify') && outcome.result?.facts) node.facts = outcome.result.facts;
    await this.follow(node, await this.next(step, node));
  }

  private async next(previous: StepName | null, node: RolloutNodeRow): Promise<NextStep> {
    const targets = await this.targets.forNode(node);
    return nextStep(previous, {
      node: node.node,
      clustered: node.cluster !== null,
      ceph: !!(node.cluster && this.ro.clusters[node.cluster]?.ceph),
      spec: this.ro.spec,
      facts: (node.facts as NodeFacts | null) ?? null,
      migrationTargets: () => targets,
      evacuated: () => evacuatedGuests(node.tasks, (upid) => this.tasks.get(upid)?.result),
    });
  }

  /** The task for a step again (after its worker was lost): the same pure decision, with a fresh migration target. */
  private taskForStep(step: StepName, node: RolloutNodeRow): Promise<NextStep> {
    const i = STEPS.indexOf(step);
    return this.next(i === 0 ? null : STEPS[i - 1], node);
  }

  private async follow(node: RolloutNodeRow, next: NextStep): Promise<void> {
    if ('task' in next) return this.startStep(node, next.task, {});
    const [state, detail, level] =
      'done' in next
        ? (['done', next.done, 'info'] as const)
        : 'skip' in next
          ? (['skipped', next.skip, 'info'] as const)
          : (['failed', next.fail, 'error'] as const);
    if (await this.store.finishNode(node, state, detail)) {
      node.state = state;
      await this.store.event(this.ro.id, `${this.tag(node)}: ${state === 'done' ? 'done' : state}: ${detail}`, { level, node: node.node });
    }
  }

  private async startStep(
    node: RolloutNodeRow,
    task: StepTask,
    { retry = false, undo = false }: { retry?: boolean; undo?: boolean },
  ): Promise<void> {
    if (node.nodeId === null) {
      if (await this.store.finishNode(node, 'failed', 'the node was removed from pvefleet')) node.state = 'failed';
      return;
    }
    let upid: string;
    try {
      const started = await this.store.transaction(async (tx) => {
        // A step re-run after its worker died may find its node still rebooting: wait for it as a reboot would.
        const connectWaitMs = retry ? this.ro.spec.timeouts.reboot * 1000 : undefined;
        const { submitted, jobs } = await this.submission.insert(tx, {
          ...this.taskRequest(node, task.type, task.params),
          connectWaitMs,
        });
        const upid = submitted[0].upid;
        if (!(await this.store.advanceNode(tx, node, { step: task.step, upid, retry, undo }))) throw new LostRace();
        return { upid, jobs };
      });
      upid = started.upid;
      await this.submission.enqueue(started.jobs);
    } catch (err) {
      if (err instanceof LostRace) return;
      // A step the node's facts contradict (or any planning error) fails this node, not the rollout.
      const detail = `cannot start ${task.step}: ${err instanceof SpecError ? err.message : describeFailure(err)}`;
      if (await this.store.finishNode(node, 'failed', detail)) node.state = 'failed';
      await this.store.event(this.ro.id, `${this.tag(node)}: ${detail}`, { level: 'error', node: node.node });
      return;
    }
    node.step = task.step;
    node.taskUpid = upid;
    node.state = 'running';
    await this.store.event(this.ro.id, `${this.tag(node)}: ${task.doing} [${upid}]`, { node: node.node });
  }

  // ---- batches ------------------------------------------------------------------------------

  private async driveBatch(): Promise<void> {
    const b = this.ro.currentBatch;
    const batch = this.nodes.filter((n) => n.batch === b);
    if (batch.every((n) => TERMINAL.has(n.state))) return this.batchFinished(b);
    const pending = batch.filter((n) => n.state === 'pending');
    // Node work of a batch starts only inside its nodes' maintenance windows: asked before any of it starts.
    const untouched = batch.every((n) => n.state === 'pending' || n.state === 'not_started');
    if (untouched && pending.length && (await this.windows.waits(this.ro, b, pending))) return;
    const byCluster = new Map<string | null, RolloutNodeRow[]>();
    for (const n of pending) byCluster.set(n.cluster, [...(byCluster.get(n.cluster) ?? []), n]);
    for (const [cluster, members] of byCluster) {
      if (cluster === null) {
        for (const n of members) await this.follow(n, await this.next(null, n));
        continue;
      }
      if (this.ro.clusters[cluster]?.halted) continue; // its nodes were skipped when it halted
      if (await this.preflightPassed(cluster, members[0], b)) {
        for (const n of members) await this.follow(n, await this.next(null, n));
      }
      if (this.ro.status !== 'running') return;
    }
  }

  /** Before a batch touches a cluster: quorate, every member online, HA and Ceph healthy (waiting a while). */
  private async preflightPassed(cluster: string, on: RolloutNodeRow, batch: number): Promise<boolean> {
    const upid = this.ro.preflight[cluster];
    if (!upid) {
      const jobs = await this.store
        .transaction(async (tx) => {
          const { submitted, jobs } = await this.submission.insert(
            tx,
            this.taskRequest(on, 'clustercheck', { waitSeconds: this.ro.spec.timeouts.preflight }),
          );
          if (!(await this.store.addPreflight(tx, this.ro.id, cluster, submitted[0].upid))) throw new LostRace();
          this.ro.preflight[cluster] = submitted[0].upid;
          return jobs;
        })
        .catch((err: unknown) => {
          if (err instanceof LostRace) return [];
          throw err;
        });
      await this.submission.enqueue(jobs);
      await this.store.event(
        this.ro.id,
        `batch ${batch + 1}/${this.ro.batches.length}: pre-flight of cluster ${cluster} on ${on.node} [${this.ro.preflight[cluster]}]`,
      );
      return false;
    }
    const outcome = this.tasks.get(upid);
    if (!outcome || outcome.status !== 'stopped') return false;
    if (outcome.isError) {
      const reason = `cluster ${cluster} failed its pre-flight before batch ${batch + 1}: ${outcome.exitstatus}`;
      await this.halt(reason);
      return false;
    }
    const ceph = cephFrom(outcome.result);
    if (this.ro.clusters[cluster]?.ceph === undefined) {
      this.ro.clusters[cluster] = { ...this.ro.clusters[cluster], ceph };
      await this.store.update(this.ro.id, { clusters: this.ro.clusters });
    }
    return true;
  }

  private async batchFinished(b: number): Promise<void> {
    const total = this.ro.batches.length;
    if (b + 1 >= total) {
      const count = (s: string) => this.nodes.filter((n) => n.state === s).length;
      const notStarted = count('not_started');
      const summary =
        `${count('done')} upgraded, ${count('skipped')} skipped (nothing to do), ${count('failed')} failed` +
        (notStarted ? `, ${notStarted} not started (their cluster halted)` : '');
      await this.store.setStatus(this.ro.id, ['running'], 'completed', summary, { message: `completed: ${summary}` });
      return;
    }
    if (b === 0 && this.ro.spec.approveAfterFirstBatch) {
      await this.store.setStatus(this.ro.id, ['running'], 'awaiting_approval', undefined, {
        message: `batch 1/${total} done: waiting for approval (POST /api/v1/rollouts/${this.ro.id}/approve)`,
      });
      return;
    }
    if (this.ro.spec.pauseSeconds > 0) {
      if (!this.ro.nextBatchAt) {
        const at = new Date(Date.now() + this.ro.spec.pauseSeconds * 1000);
        await this.store.update(this.ro.id, { nextBatchAt: at });
        await this.store.event(
          this.ro.id,
          `batch ${b + 1}/${total} done: next batch at ${at.toISOString()} (pause ${this.ro.spec.pauseSeconds} s)`,
        );
        return;
      }
      if (new Date(this.ro.nextBatchAt).getTime() > Date.now()) return;
    }
    await this.store.update(this.ro.id, { currentBatch: b + 1, nextBatchAt: null, preflight: {} });
    await this.store.event(this.ro.id, `batch ${b + 2}/${total}: ${this.ro.batches[b + 1].join(', ')}`);
  }

  // ---- budgets and endings ------------------------------------------------------------------

  /** Ansible's max_fail_percentage: more failures than the budget halts the cluster, or everything. */
  private async enforceBudgets(): Promise<void> {
    const { perCluster, total } = this.ro.spec.maxFailures;
    const clusters = new Set(this.nodes.map((n) => n.cluster).filter((c): c is string => c !== null));
    for (const c of clusters) {
      if (this.ro.clusters[c]?.halted) continue;
      const members = this.nodes.filter((n) => n.cluster === c);
      const failed = members.filter((n) => n.state === 'failed').length;
      const budget = resolveCount(perCluster, members.length);
      if (failed <= budget) continue;
      const reason = `cluster ${c} halted: ${plural(failed, 'failed node')} ${failed === 1 ? 'exceeds' : 'exceed'} its budget of ${budget}`;
      this.ro.clusters[c] = { ...this.ro.clusters[c], halted: reason };
      await this.store.update(this.ro.id, { clusters: this.ro.clusters });
      await this.store.event(this.ro.id, reason, { level: 'error' });
      for (const n of members.filter((m) => m.state === 'pending')) {
        if (await this.store.finishNode(n, 'not_started', `not started: ${reason}`)) n.state = 'not_started';
      }
    }
    const failed = this.nodes.filter((n) => n.state === 'failed').length;
    const budget = resolveCount(total, this.nodes.length);
    if (failed > budget)
      await this.halt(`${plural(failed, 'failed node')} ${failed === 1 ? 'exceeds' : 'exceed'} the rollout's failure budget of ${budget}`);
  }

  private async halt(reason: string): Promise<void> {
    const halting = { message: `halting: ${reason}; nodes in flight finish, nothing new starts`, level: 'error' } as const;
    if (await this.store.setStatus(this.ro.id, ['running'], 'halting', reason, halting)) this.ro.status = 'halting';
  }

  private async settle(): Promise<void> {
    if (this.ro.status === 'aborting') {
      for (const n of this.nodes.filter((m) => m.state === 'pending'))
        await this.store.finishNode(n, 'not_started', 'not started (aborted)');
      await this.store.setStatus(this.ro.id, ['aborting'], 'aborted', undefined, {
        message: 'aborted: every node is in the state listed for it',
      });
    } else {
      for (const n of this.nodes.filter((m) => m.state === 'pending'))
        await this.store.finishNode(n, 'not_started', 'not started (the rollout halted)');
      await this.store.setStatus(this.ro.id, ['halting'], 'halted', undefined, {
        message: `halted: ${this.ro.reason ?? 'see above'}`,
        level: 'error',
      });
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  private taskRequest<T extends TaskType>(node: RolloutNodeRow, type: T, params: TaskParams<T>) {
    // startStep refuses a node removed from pvefleet (nodeId null); a pre-flight on one fails when it runs ("node … was deleted").
    return {
      nodes: [{ id: node.nodeId, name: node.node, facts: node.facts as never }],
      type,
      params,
      user: this.ro.user,
      rolloutId: this.ro.id,
    };
  }

  /** Steps this node completed (the current one too when it succeeded). */
  private stepsDone(node: RolloutNodeRow, currentSucceeded: boolean): StepName[] {
    return node.tasks.filter((t) => t.upid !== node.taskUpid || currentSucceeded).map((t) => t.step);
  }

  private tag(node: RolloutNodeRow): string {
    return `[${node.position}/${this.nodes.length}] ${node.node}`;
  }
}

class LostRace extends Error {}

/** Whether a cluster's pre-flight found Ceph (the clustercheck task's result). */
function cephFrom(result: Record<string, unknown> | null): boolean {
  const ceph = result?.ceph;
  return ceph !== undefined && ceph !== null && ceph !== false;
}
