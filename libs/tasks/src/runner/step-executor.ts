import { resolveStep, type CapturedOutput, type Outputs, type PlanStep } from '@pvefleet/jobs';
import { Inject, Injectable } from '@nestjs/common';
import { errorClassOf } from '@pvefleet/errors';
import type { LogContext } from '@pvefleet/logging';
import { SshError, type ExecResult, type SshSession } from '@pvefleet/ssh';
import { TaskLogWriter, type TaskLog } from '../log/task-log.writer';
import { NODE_LOCK_BUSY_EXIT, NODE_LOCK_PATH, fencedCommand } from './node-fence';
import type { LeaseConfirmation } from './node-lease-check';
import { CommandCutOff, TaskFailure, commandLabel } from '../task-failure';

/** Captured stdout beyond this is cut: captures feed parsers, not archives (the log has everything). */
const MAX_CAPTURE_CHARS = 16 * 1024 * 1024;

export interface StepRun {
  session: SshSession;
  log: TaskLog;
  abort: AbortSignal;
  commandTimeoutMs: number;
  /** A mutating task's commands: each runs under the node's own lock (node-fence.ts). */
  fenced?: boolean;
  /** A mutating task's node lease, renewed before each of its commands (node-lease-check.ts). */
  lease?: LeaseConfirmation;
  /**
   * Opens a new connection for a step with `reconnect` (waiting up to `waitMs` for the node, unless
   * `abort`), makes it the task's connection from then on, and returns its session. Only a task run provides it.
   */
  reconnect?(waitMs: number, abort: AbortSignal): Promise<SshSession>;
  /** What the process-log lines about its commands carry (upid, node, rollout). */
  logFields?: LogContext;
}

/** Runs plan steps: logs the command, streams output, enforces exit codes, retries and verifies. */
@Injectable()
export class StepExecutor {
  constructor(@Inject(TaskLogWriter) private readonly logs: TaskLogWriter) {}

  logCommand(log: TaskLog, command: string): void {
    const [first, ...rest] = command.split('\n');
    log.write('sys', `# ${first}`);
    for (const line of rest) log.write('sys', `> ${line}`);
  }

  /** Runs the step (again and again for `retry`), then its `verify`; returns what it captured. */
  async run(step: PlanStep, outputs: Outputs, ctx: StepRun): Promise<CapturedOutput> {
    if (step.reconnect) {
      if (!ctx.reconnect) throw new TaskFailure('this step needs a new connection, which only a task run can open');
      ctx.session = await ctx.reconnect(step.reconnect.waitMs, ctx.abort);
    }
    this.logCommand(ctx.log, step.logAs ?? step.command);
    if (!step.retry) {
      const out = await this.once(step, ctx, !step.quiet);
      return this.verified(step, out, outputs);
    }
    const deadline = Date.now() + step.retry.timeoutMs;
    let attempt = 0;
    let current = step;
    for (;;) {
      attempt++;
      // Only the attempt that ends the wait is shown in full; the others would repeat themselves.
      const out = await this.once(current, ctx, false);
      if (step.retry.until(out)) {
        this.show(ctx.log, step, out, step.quiet);
        if (attempt > 1) ctx.log.write('sys', `${step.retry.describe}: after ${attempt} attempts`);
        return this.verified(current, out, outputs);
      }
      if (Date.now() + step.retry.intervalMs > deadline) {
        this.show(ctx.log, step, out, false);
        throw new TaskFailure(
          `${step.retry.describe}: not reached within ${Math.round(step.retry.timeoutMs / 1000)} s (last output above)`,
          'timeout',
        );
      }
      await sleep(step.retry.intervalMs, ctx.abort);
      if (ctx.abort.aborted) throw new TaskFailure('received interrupt', 'cancelled');
      current = this.remade(step, current, out, outputs, ctx.log);
    }
  }

  /** A retried `commandFrom` step's next command, made from what the last attempt printed. */
  private remade(step: PlanStep, current: PlanStep, out: CapturedOutput, outputs: Outputs, log: TaskLog): PlanStep {
    if (!step.commandFrom || !step.capture) return current;
    const next = resolveStep(step, { ...outputs, [step.capture]: out });
    if (!next || next.command === current.command) return current;
    this.logCommand(log, next.logAs ?? next.command);
    return next;
  }

  /** One execution; non-zero exits outside `okExitCodes` fail the task with Proxmox's wording. */
  async once(step: PlanStep, ctx: StepRun, echo: boolean): Promise<CapturedOutput> {
    // Output is kept only when something reads it; a million-line log must not live in memory twice.
    const keep = !!(step.capture || step.verify || step.retry);
    const captured: string[] = [];
    let capturedChars = 0;
    const label = commandLabel(step.logAs ?? step.command);
    // The configured timeout is the operator's ceiling; a step may only ask for less.
    const timeoutMs = Math.min(step.timeoutMs ?? Infinity, ctx.commandTimeoutMs);
    const okExitCodes = step.okExitCodes ?? [0];
    if (ctx.fenced) await ctx.lease?.confirm(ctx.log, ctx.abort);
    const result: ExecResult = await ctx.session
      .exec(ctx.fenced ? fencedCommand(step.command, timeoutMs) : step.command, {
        timeoutMs,
        signal: ctx.abort,
        backpressure: this.logs,
        logFields: ctx.logFields,
        onLine: (stream, line) => {
          if (keep && stream === 'stdout' && capturedChars < MAX_CAPTURE_CHARS) {
            captured.push(line);
            capturedChars += line.length + 1;
          }
          if (stream === 'stderr') ctx.log.write('err', line);
          else if (echo) this.echo(ctx.log, step, line);
        },
      })
      .catch((err: unknown) => {
        throw err instanceof SshError
          ? new TaskFailure(`command '${label}' failed: ${err.message}`, errorClassOf(err), { cause: err })
          : err;
      });
    if (result.stopped === 'interrupt') throw new TaskFailure('received interrupt', 'cancelled');
    if (result.stopped === 'timeout') throw new TaskFailure(`command '${label}' failed: got timeout`, 'timeout');
    if (result.code === null) {
      const why = result.exitSignal === 'connection lost' ? 'connection lost' : `got signal ${result.exitSignal ?? 'unknown'}`;
      throw new CommandCutOff(`command '${label}' failed: ${why}`);
    }
    if (ctx.fenced && result.code === NODE_LOCK_BUSY_EXIT && !okExitCodes.includes(result.code)) {
      throw new TaskFailure(
        `command '${label}' did not start: another mutating command held the node's lock (${NODE_LOCK_PATH}) for ${Math.round(timeoutMs / 1000)} s`,
      );
    }
    if (!okExitCodes.includes(result.code)) throw new TaskFailure(`command '${label}' failed: exit code ${result.code}`);
    return { stdout: captured.join('\n'), exitCode: result.code };
  }

  private show(log: TaskLog, step: PlanStep, out: CapturedOutput, quiet = false): void {
    if (quiet) return;
    for (const line of out.stdout ? out.stdout.split('\n') : []) this.echo(log, step, line);
  }

  /** A line of stdout as the step wants it read (internal markers rewritten or left out). */
  private echo(log: TaskLog, step: PlanStep, line: string): void {
    const shown = step.logLine ? step.logLine(line) : line;
    if (shown !== null) log.write('out', shown);
  }

  private verified(step: PlanStep, out: CapturedOutput, outputs: Outputs): CapturedOutput {
    const problem = step.verify?.(out, outputs);
    if (problem) throw new TaskFailure(problem);
    return out;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export { sleep as abortableSleep };
