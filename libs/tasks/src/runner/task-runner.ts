import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@pvefleet/config';
import {
  JobRegistry,
  SpecError,
  parseOrThrow,
  planView,
  resolveStep,
  type CapturedOutput,
  type JobKind,
  type JobOutcome,
  type NodeFacts,
  type Plan,
} from '@pvefleet/jobs';
import type { NodeConnectionRow } from '@pvefleet/nodes';
import { NodeAccess } from '@pvefleet/nodes/access';
import { taskLogFields } from '@pvefleet/logging';
import { UNREACHABLE_FACTS_CLASSES } from '../facts-observer';
import { TaskLogWriter, type TaskLog } from '../log/task-log.writer';
import { TaskRunRepository, type ClaimedTask } from '../persistence/task-run.repository';
import type { TaskJobData } from '../task-queue';
import { FactsObservers } from './facts-observers';
import { NodeConnector, type NodeConnection } from './node-connection';
import { NodeFactsReader } from './node-facts-reader';
import { NodeLeaseCheck } from './node-lease-check';
import { HAND_BACK } from './running-tasks';
import { rollBack } from './plan-rollback';
import { RebootProtocol, type RebootRecord } from './reboot-protocol';
import { StepExecutor, type StepRun } from './step-executor';
import { TaskFailure, commandLabel, describeFailure, failureClass } from '../task-failure';

/**
 * Runs one claimed task end to end: fresh facts when the kind plans from them, the plan, one SSH
 * connection for all its commands (a new one after a reboot), output streamed into the log line by
 * line, after a mutating task the node's facts read again, and a last line saying how it ended.
 */
@Injectable()
export class TaskRunner {
  private readonly facts: NodeFactsReader;
  private readonly leases: NodeLeaseCheck;
  /** The operator's ceiling on any one command. */
  private readonly commandTimeoutMs: number;

  constructor(
    @Inject(JobRegistry) private readonly registry: JobRegistry,
    @Inject(NodeAccess) nodes: NodeAccess,
    @Inject(TaskRunRepository) private readonly store: TaskRunRepository,
    @Inject(NodeConnector) private readonly connector: NodeConnector,
    @Inject(StepExecutor) private readonly steps: StepExecutor,
    @Inject(RebootProtocol) private readonly reboots: RebootProtocol,
    @Inject(TaskLogWriter) private readonly logs: TaskLogWriter,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'ssh' | 'taskLeaseMs'>,
    @Inject(FactsObservers) observers: FactsObservers,
  ) {
    this.commandTimeoutMs = config.ssh.commandTimeoutMs;
    this.facts = new NodeFactsReader(steps, nodes, observers);
    this.leases = new NodeLeaseCheck(store, config.taskLeaseMs);
  }

  /** Returns the task's next job when it was handed back to the queue (a read-only task at shutdown). */
  async run(task: ClaimedTask, abort: AbortSignal): Promise<TaskJobData | undefined> {
    // A read-only task run again after its worker died continues its log after the earlier run's lines.
    const log = this.logs.log(task.id, task.logLinesSoFar + 1);
    try {
      const outcome = await this.execute(task, log, abort);
      const warnings = outcome.warnings ?? [];
      for (const w of warnings) log.write('sys', `WARN: ${w}`);
      await log.complete({ exitstatus: warnings.length ? `WARNINGS: ${warnings.length}` : 'OK', isError: false, result: outcome.result });
    } catch (err) {
      if (abort.aborted && abort.reason === HAND_BACK && !task.mutating) return this.handBack(task, log);
      const message = describeFailure(err);
      if (abort.aborted) log.write('sys', `cancelled by ${String(abort.reason)}`);
      // Stopped on purpose (a cancel, or the worker's shutdown for a mutating task, whose command was
      // stopped half-way and must not be re-run blindly), whatever error the stop surfaced as.
      const errorClass = abort.aborted ? 'cancelled' : failureClass(err);
      if (task.type === 'facts' && task.node && UNREACHABLE_FACTS_CLASSES.includes(errorClass)) {
        await this.facts.failed(task.node, message, log).catch((e: unknown) => {
          log.write('sys', `the failed facts collection could not be noted on the node: ${describeFailure(e)}`);
        });
      }
      await log.complete({ exitstatus: message, isError: true, errorClass });
    }
    return undefined;
  }

  /** A read-only task changed nothing: it goes back to the queue, its log going on after these lines. */
  private async handBack(task: ClaimedTask, log: TaskLog): Promise<TaskJobData | undefined> {
    log.write('sys', `stopped by ${HAND_BACK}: handed back to the queue, to run again on another worker`);
    await this.logs.flush();
    return this.store.requeue(task.id, log.lines);
  }

  private async execute(task: ClaimedTask, log: TaskLog, abort: AbortSignal): Promise<JobOutcome> {
    const node = task.node;
    if (!node) throw new TaskFailure(`node '${task.nodeName}' was deleted`);
    const kind = this.registry.get(task.type);
    if (!kind) throw new TaskFailure(`unknown task type '${task.type}'`);
    // Re-validated here too: the row may predate a stricter spec.
    const spec = parseOrThrow(kind.spec, task.params ?? {}, 'params');

    const connection = task.connectWaitMs
      ? await this.connector.openWhenReachable(node, log, abort, task.connectWaitMs)
      : await this.connector.open(node, log);
    const ctx: StepRun = {
      session: connection.session,
      log,
      abort,
      commandTimeoutMs: this.commandTimeoutMs,
      fenced: task.mutating,
      lease: this.leases.for(task),
      logFields: taskLogFields({ upid: task.upid, node: task.nodeName, rolloutId: task.rolloutId }),
    };
    const run: PlanRun = { connection, outputs: {}, reboots: [] };
    ctx.reconnect = (waitMs, stop) => this.reconnect(node, run, ctx, waitMs, stop);
    try {
      if (task.mutating && task.attempt > 1) return await this.verifyAfterLoss(kind, spec, run, ctx);
      // Fresh facts first for kinds that plan from them, so the plan matches the node as it is now.
      const facts = kind.usesFacts ? await this.facts.read(node, ctx) : ((node.facts as NodeFacts | null) ?? null);
      const plan = kind.plan(spec, facts);
      if (kind.usesFacts) await this.store.savePlan(task.id, planView(plan));
      for (const note of plan.notes ?? []) log.write('sys', note);

      let outcome: JobOutcome;
      try {
        await this.runSteps(plan, node, run, ctx);
        outcome = this.finish(kind, spec, run.outputs, facts);
      } catch (err) {
        // A failed mutating task changed the node too (half an upgrade, restored files): record
        // what it looks like now when it still answers. The refresh never replaces the error.
        if (task.mutating) await this.facts.refresh(node, ctx);
        throw err;
      }
      if (outcome.facts) await this.facts.save(node, outcome.facts, ctx);
      else if (task.mutating) {
        const problem = await this.facts.refresh(node, ctx);
        if (problem) outcome.warnings = [...(outcome.warnings ?? []), problem];
      }
      if (run.reboots.length) outcome.result = { ...outcome.result, reboots: run.reboots };
      return outcome;
    } finally {
      run.connection.release();
    }
  }

  /**
   * A mutating task whose worker died, handed back only to be read back: its kind's read-only
   * checks say whether what it was doing took effect. Nothing that changes the node runs again.
   */
  private async verifyAfterLoss(kind: JobKind, spec: unknown, run: PlanRun, ctx: StepRun): Promise<JobOutcome> {
    ctx.log.write(
      'sys',
      'reading the node back after the worker running this task was lost (read-only: nothing that changes the node runs again)',
    );
    const reads = { ...ctx, fenced: false };
    try {
      if (!kind.verifyAfterLoss) throw new TaskFailure(`the ${kind.type} kind cannot read back whether it took effect`);
      for (const step of kind.verifyAfterLoss(spec)) await this.steps.run(step, run.outputs, reads);
    } catch (err) {
      throw new TaskFailure(`interrupted: worker lost during task; read back afterwards: ${describeFailure(err)}`, 'interrupted', {
        cause: err,
      });
    }
    ctx.log.write('sys', 'verified after worker loss: the node is as this task intended');
    return { result: { verifiedAfterWorkerLoss: true } };
  }

  /** The plan's steps in order; a failure after its backup step runs its rollback first. */
  private async runSteps(plan: Plan, node: NodeConnectionRow, run: PlanRun, ctx: StepRun): Promise<void> {
    const { outputs } = run;
    let armed = false;
    try {
      for (const planned of plan.steps) {
        if (ctx.abort.aborted) throw new TaskFailure('received interrupt', 'cancelled');
        if (planned.when && !planned.when.holds(outputs)) {
          ctx.log.write('sys', `skipped '${commandLabel(planned.logAs ?? planned.command)}': only if ${planned.when.describe}`);
          continue;
        }
        const step = resolveStep(planned, outputs);
        if (!step) {
          ctx.log.write('sys', `skipped '${commandLabel(planned.logAs ?? planned.command)}': nothing to do`);
          continue;
        }
        if (step.reboot) {
          const r = await this.reboots.reboot(step, outputs, node, run.connection, ctx);
          run.connection = r.connection;
          ctx.session = r.connection.session;
          run.reboots.push(r.record);
          continue;
        }
        const out = await this.steps.run(step, outputs, ctx);
        if (step.capture) outputs[step.capture] = out;
        if (step.armsRollback) armed = true;
      }
    } catch (err) {
      if (armed && plan.rollback) throw await rollBack(plan.rollback, err, outputs, ctx, this.steps);
      throw err;
    }
  }

  /**
   * A step's `reconnect`: the task's connection is dropped (a change may have cut it off, or left it
   * looking alive) and a new, unshared one replaces it for the rest of the task.
   */
  private async reconnect(node: NodeConnectionRow, run: PlanRun, ctx: StepRun, waitMs: number, abort: AbortSignal) {
    ctx.log.write('sys', `opening a new connection to the node (waiting up to ${Math.round(waitMs / 1000)} s for it to answer)`);
    run.connection.release(true);
    const fresh = await this.connector.openWhenReachable(node, ctx.log, abort, waitMs, {
      pooled: false,
      why: 'the node may be changing or restoring its network',
    });
    run.connection = fresh;
    ctx.session = fresh.session;
    return fresh.session;
  }

  private finish(kind: JobKind, spec: unknown, outputs: Record<string, CapturedOutput>, facts: NodeFacts | null): JobOutcome {
    try {
      return kind.finish?.(spec, outputs, { facts, now: Date.now() }) ?? {};
    } catch (err) {
      if (err instanceof TaskFailure || err instanceof SpecError) throw err;
      throw new TaskFailure(`cannot interpret the node's output: ${(err as Error).message}`);
    }
  }
}

/** One plan's run: the connection (a new one after each reboot), what it captured, its reboots. */
interface PlanRun {
  connection: NodeConnection;
  outputs: Record<string, CapturedOutput>;
  reboots: RebootRecord[];
}
