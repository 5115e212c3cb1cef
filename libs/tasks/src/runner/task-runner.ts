import { SpecError, parseOrThrow, type CapturedOutput, type JobKind, type JobRegistry, type NodeFacts, type PlanStep } from '@pvefleet/jobs';
import type { NodeAccess, NodeConnectionRow } from '@pvefleet/nodes';
import { SshError, connectSsh, type SshPool, type SshSession } from '@pvefleet/ssh';
import type { TaskLog, TaskLogWriter } from '../log/task-log.writer';
import type { ClaimedTask } from '../task-store';
import { TaskFailure, commandLabel, describeFailure } from './task-failure';

/** Captured stdout beyond this is cut: captures feed parsers, not archives (the log has everything). */
const MAX_CAPTURE_CHARS = 16 * 1024 * 1024;

export interface TaskRunnerOptions {
  commandTimeoutMs: number;
}

/**
 * Runs one claimed task end to end: plan from spec and facts, one SSH connection for all its
 * commands, output streamed into the log line by line, and a last line saying how it ended.
 */
export class TaskRunner {
  constructor(
    private readonly registry: JobRegistry,
    private readonly nodes: NodeAccess,
    private readonly sshPool: SshPool,
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
      if (err instanceof SpecError) log.write('sys', `invalid task parameters: ${message}`);
      await log.complete({ exitstatus: message, isError: true });
    }
  }

  private async execute(task: ClaimedTask, log: TaskLog, abort: AbortSignal) {
    const node = task.node;
    if (!node) throw new TaskFailure(`node '${task.nodeName}' was deleted`);
    const kind = this.registry.get(task.type);
    if (!kind) throw new TaskFailure(`unknown task type '${task.type}'`);
    // Re-validated here too: the row may predate a stricter spec.
    const spec = parseOrThrow(kind.spec, task.params ?? {}, 'params');
    const plan = kind.plan(spec, (node.facts as NodeFacts | null) ?? null);
    for (const note of plan.notes ?? []) log.write('sys', note);

    const { session, poolKey } = await this.connect(node, log);
    let reusable = false;
    try {
      const outputs: Record<string, CapturedOutput> = {};
      for (const step of plan.steps) {
        if (abort.aborted) throw new TaskFailure('received interrupt');
        const output = await this.runStep(session, step, log, abort);
        if (step.capture) outputs[step.capture] = output;
      }
      const outcome = this.finish(kind, spec, outputs);
      if (outcome.facts) await this.nodes.saveFacts(node.id, outcome.facts);
      reusable = true;
      return outcome;
    } finally {
      if (reusable && session.usable) this.sshPool.give(poolKey, session);
      else session.close();
    }
  }

  private async connect(node: NodeConnectionRow, log: TaskLog): Promise<{ session: SshSession; poolKey: string }> {
    const { target, poolKey } = this.nodes.target(node);
    const pooled = this.sshPool.take(poolKey, node.hostKeyFingerprint);
    if (pooled) return { session: pooled, poolKey };
    const session = await connectSsh(target);
    try {
      await this.nodes.pinHostKey(node, session.hostKey);
    } catch (err) {
      session.close();
      throw err;
    }
    if (!node.hostKeyFingerprint) {
      log.write('sys', `host key ${session.hostKey.fingerprint} (${session.hostKey.algorithm ?? 'unknown type'}) recorded on first contact`);
    }
    return { session, poolKey };
  }

  private async runStep(session: SshSession, step: PlanStep, log: TaskLog, abort: AbortSignal): Promise<CapturedOutput> {
    const [first, ...rest] = step.command.split('\n');
    log.write('sys', `# ${first}`);
    for (const line of rest) log.write('sys', `> ${line}`);
    const captured: string[] = [];
    let capturedChars = 0;
    const result = await session
      .exec(step.command, {
        // The configured timeout is the operator's ceiling; a step may only ask for less.
        timeoutMs: Math.min(step.timeoutMs ?? Infinity, this.opts.commandTimeoutMs),
        signal: abort,
        backpressure: this.logs,
        onLine: (stream, line) => {
          if (step.capture && stream === 'stdout' && capturedChars < MAX_CAPTURE_CHARS) {
            captured.push(line);
            capturedChars += line.length + 1;
          }
          if (!step.quiet || stream === 'stderr') log.write(stream === 'stdout' ? 'out' : 'err', line);
        },
      })
      .catch((err: unknown) => {
        throw err instanceof SshError ? new TaskFailure(`command '${commandLabel(step.command)}' failed: ${err.message}`) : err;
      });
    const label = commandLabel(step.command);
    if (result.stopped === 'interrupt') throw new TaskFailure('received interrupt');
    if (result.stopped === 'timeout') throw new TaskFailure(`command '${label}' failed: got timeout`);
    if (result.code === null) {
      const why = result.exitSignal === 'connection lost' ? 'connection lost' : `got signal ${result.exitSignal ?? 'unknown'}`;
      throw new TaskFailure(`command '${label}' failed: ${why}`);
    }
    if (!(step.okExitCodes ?? [0]).includes(result.code)) throw new TaskFailure(`command '${label}' failed: exit code ${result.code}`);
    return { stdout: captured.join('\n'), exitCode: result.code };
  }

  private finish(kind: JobKind, spec: unknown, outputs: Record<string, CapturedOutput>) {
    try {
      return kind.finish?.(spec, outputs) ?? {};
    } catch (err) {
      throw new TaskFailure(`cannot interpret the node's output: ${(err as Error).message}`);
    }
  }
}
