import {
  SpecError,
  factsJob,
  parseOrThrow,
  planView,
  resolveStep,
  type CapturedOutput,
  type JobKind,
  type JobOutcome,
  type JobRegistry,
  type NodeFacts,
} from '@pvefleet/jobs';
import type { NodeAccess, NodeConnectionRow } from '@pvefleet/nodes';
import type { TaskLog, TaskLogWriter } from '../log/task-log.writer';
import type { ClaimedTask, TaskStore } from '../task-store';
import type { NodeConnector } from './node-connection';
import type { RebootProtocol, RebootRecord } from './reboot-protocol';
import type { StepExecutor, StepRun } from './step-executor';
import { TaskFailure, commandLabel, describeFailure } from './task-failure';

export interface TaskRunnerOptions {
  commandTimeoutMs: number;
}

/**
 * Runs one claimed task end to end: fresh facts when the kind plans from them, the plan, one SSH
 * connection for all its commands (a new one after a reboot), output streamed into the log line by
 * line, and a last line saying how it ended.
 */
export class TaskRunner {
  constructor(
    private readonly registry: JobRegistry,
    private readonly nodes: NodeAccess,
    private readonly store: TaskStore,
    private readonly connector: NodeConnector,
    private readonly steps: StepExecutor,
    private readonly reboots: RebootProtocol,
    private readonly logs: TaskLogWriter,
    private readonly opts: TaskRunnerOptions,
  ) {}

  async run(task: ClaimedTask, abort: AbortSignal): Promise<void> {
    const log = this.logs.log(task.id);
    try {
      const outcome = await this.execute(task, log, abort);
      const warnings = outcome.warnings ?? [];
      for (const w of warnings) log.write('sys', `WARN: ${w}`);
      await log.complete({ exitstatus: warnings.length ? `WARNINGS: ${warnings.length}` : 'OK', isError: false, result: outcome.result });
    } catch (err) {
      const message = describeFailure(err);
      if (abort.aborted) log.write('sys', `cancelled by ${String(abort.reason)}`);
      await log.complete({ exitstatus: message, isError: true });
    }
  }

  private async execute(task: ClaimedTask, log: TaskLog, abort: AbortSignal): Promise<JobOutcome> {
    const node = task.node;
    if (!node) throw new TaskFailure(`node '${task.nodeName}' was deleted`);
    const kind = this.registry.get(task.type);
    if (!kind) throw new TaskFailure(`unknown task type '${task.type}'`);
    // Re-validated here too: the row may predate a stricter spec.
    const spec = parseOrThrow(kind.spec, task.params ?? {}, 'params');

    let connection = task.connectWaitMs
      ? await this.connector.openWhenReachable(node, log, abort, task.connectWaitMs)
      : await this.connector.open(node, log);
    const ctx: StepRun = { session: connection.session, log, abort, commandTimeoutMs: this.opts.commandTimeoutMs, fenced: task.mutating };
    try {
      const facts = kind.usesFacts ? await this.readFacts(node, ctx) : ((node.facts as NodeFacts | null) ?? null);
      const plan = kind.plan(spec, facts);
      if (kind.usesFacts) await this.store.savePlan(task.id, planView(plan));
      for (const note of plan.notes ?? []) log.write('sys', note);

      const outputs: Record<string, CapturedOutput> = {};
      const reboots: RebootRecord[] = [];
      for (const planned of plan.steps) {
        if (abort.aborted) throw new TaskFailure('received interrupt');
        if (planned.when && !planned.when.holds(outputs)) {
          log.write('sys', `skipped '${commandLabel(planned.command)}': only if ${planned.when.describe}`);
          continue;
        }
        const step = resolveStep(planned, outputs);
        if (!step) {
          log.write('sys', `skipped '${commandLabel(planned.command)}': nothing to do`);
          continue;
        }
        if (step.reboot) {
          const r = await this.reboots.reboot(step, outputs, node, connection, ctx);
          connection = r.connection;
          ctx.session = connection.session;
          reboots.push(r.record);
          continue;
        }
        const out = await this.steps.run(step, outputs, ctx);
        if (step.capture) outputs[step.capture] = out;
      }
      const outcome = this.finish(kind, spec, outputs, facts);
      if (outcome.facts) await this.nodes.saveFacts(node.id, outcome.facts);
      if (reboots.length) outcome.result = { ...outcome.result, reboots };
      return outcome;
    } finally {
      connection.release();
    }
  }

  /** Refreshes the node's facts first, so the plan matches the node as it is now. */
  private async readFacts(node: NodeConnectionRow, ctx: StepRun): Promise<NodeFacts> {
    ctx.log.write('sys', 'reading node facts (read-only)');
    const [step] = factsJob.plan({}, null).steps;
    const out = await this.steps.once(step, ctx, false);
    const facts = factsJob.finish!({}, { facts: out }, { facts: null, now: Date.now() }).facts!;
    await this.nodes.saveFacts(node.id, facts);
    return facts;
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
