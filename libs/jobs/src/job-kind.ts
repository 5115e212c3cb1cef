import type { z } from 'zod';
import type { NodeFacts } from './node-facts';
import type { TaskType } from './task-type';

export interface CapturedOutput {
  stdout: string;
  exitCode: number | null;
}

/** What earlier steps captured, by their `capture` name. */
export type Outputs = Readonly<Partial<Record<string, CapturedOutput>>>;

/** A runtime condition on earlier output; pure, and described so dry runs can show it. */
export interface StepCondition {
  /** Reads as "only if …", e.g. "packages are upgradable". */
  describe: string;
  holds(outputs: Outputs): boolean;
}

export interface RebootSpec {
  /** The kernel the node must run afterwards, from what earlier steps captured (undefined: any). */
  expectKernel?(outputs: Outputs): string | undefined;
  /** How long the node may take to answer SSH again with a new boot id. Default 10 minutes. */
  waitTimeoutMs?: number;
}

/** One command of a plan, run over SSH exactly as written here. */
export interface PlanStep {
  /** The command, exactly; for a step with `commandFrom`, what it does as a dry run shows it. */
  command: string;
  /**
   * The exact command, made at run time from what earlier steps captured (one `qm shutdown` per guest
   * that `qm list` showed running, say); null skips the step. Pure, like `plan`: every value it puts
   * into the command comes from parsed output, is validated and is shellQuoted. With `retry`, it is
   * made again before each further attempt, the last attempt's output under the step's `capture`
   * name: a read-merge-write that converges while other nodes write the same file.
   */
  commandFrom?(outputs: Outputs): string | null;
  /** A short human label for logs and dry runs (e.g. "write the chrony drop-in"). */
  description?: string;
  /** Keeps this command's stdout under this name for later conditions, `verify` and `finish`. */
  capture?: string;
  /** Exit codes that count as success; any other fails the task. Default: [0]. */
  okExitCodes?: number[];
  timeoutMs?: number;
  /** Files the command writes (shown by dry runs). */
  writes?: { path: string; content: string }[];
  /** Output is parsed rather than shown line by line (e.g. huge listings); stderr is still logged. */
  quiet?: boolean;
  /**
   * What the task log shows instead of the exact command: for internal scripts whose section markers
   * mean nothing to a reader (the facts script). Dry runs and task rows keep the exact command.
   */
  logAs?: string;
  /** How a line of stdout appears in the task log (null: not at all), e.g. a section marker as a heading. */
  logLine?(line: string): string | null;
  /** Runs only when this holds for what earlier steps captured; otherwise logged as skipped. */
  when?: StepCondition;
  /**
   * Runs the command again every `intervalMs` until `until` holds; after `timeoutMs` the step fails
   * with `describe` and the last output (e.g. "chrony did not synchronise within 60 s").
   */
  retry?: { until(out: CapturedOutput): boolean; intervalMs: number; timeoutMs: number; describe: string };
  /** Reads the node back: returns why it is not in the intended state (the task fails with it), or undefined. */
  verify?(out: CapturedOutput, outputs: Outputs): string | undefined;
  /**
   * This command reboots the node. The runner records the boot id first and counts the reboot only
   * when the node answers again with a new boot id (and the expected kernel): a reboot that did not
   * happen, or a node that never comes back, fails the task.
   */
  reboot?: RebootSpec;
  /** Once this step succeeded (e.g. the backup), a failure of any later step runs the plan's `rollback`. */
  armsRollback?: boolean;
  /**
   * Runs this step on a NEW SSH connection: the task's connection is dropped (an earlier step, e.g.
   * `ifreload -a`, may have cut it off, or it may still look alive through a change that makes new
   * ones impossible) and a fresh, unpooled one is opened, tried again every second while the node
   * refuses or does not answer, for up to `waitMs`. Later steps, the rollback and the facts read
   * afterwards use it. Getting one proves the node reachable the way pvefleet reaches it; a node
   * not reachable within `waitMs` fails the step with the last connection error (and its class).
   * Also valid on rollback steps (waiting for a node to restore itself).
   */
  reconnect?: { waitMs: number };
}

/** What puts the node back when a plan fails halfway: run by the runner, after the failing step. */
export interface Rollback {
  /** Run in order; the first failure stops them and the task's error says so. */
  steps: PlanStep[];
  /** Logged before the steps run, e.g. "restoring /etc/apt/… from the backup". */
  describe: string;
  /** Appended to the task's error when every rollback step succeeded, e.g. "restored /etc/apt/…". */
  done: string;
}

export interface Plan {
  steps: PlanStep[];
  /** Lines logged before the first command: what the plan decided and why (e.g. "pool tank already exists"). */
  notes?: string[];
  /** Runs when a step fails after a step marked `armsRollback` succeeded; the task still ends in error. */
  rollback?: Rollback;
}

export interface JobOutcome {
  /** New facts for the node (kinds that inspect it). */
  facts?: NodeFacts;
  /** Structured data recorded on the task (e.g. the upgradable packages, old and new expiry). */
  result?: Record<string, unknown>;
  /** Each becomes a `WARN:` line; the task then ends `WARNINGS: N` as on Proxmox. */
  warnings?: string[];
}

export interface FinishContext {
  /** The facts the plan was made from (refreshed at task start for kinds that use facts). */
  facts: NodeFacts | null;
  /** Epoch ms: when the commands finished. */
  now: number;
}

/**
 * How a mutating kind knows it took effect; the registry refuses a mutating kind without one.
 * - `plan`: its plan reads the node back, steps whose `verify` (or `retry`) fail the task with what is
 *   not as intended; `describe` says what is read.
 * - `none`: nothing on the node can say whether it took effect; `why` makes that a decision.
 */
export type ReadBack = { readonly by: 'plan'; readonly describe: string } | { readonly by: 'none'; readonly why: string };

/**
 * A job kind: a validated spec, a pure plan from spec and facts, and what to make of the output.
 * Plans never touch the network, a database or the clock (time comes in through `facts.collectedAt`),
 * so dry runs and unit tests see exactly what a node would run.
 *
 * `S` is the parsed spec, `T` the task type, `I` what callers may send (defaults still unset). The
 * registry hands kinds out as `JobKind` (spec unknown): callers parse params with the kind's own spec first.
 */
export interface JobKind<S = unknown, T extends TaskType = TaskType, I = unknown> {
  /** Task type; Proxmox's name where one exists (aptupdate, zfscreate, ...). */
  readonly type: T;
  readonly mutating: boolean;
  /** Required when `mutating`: how the task's effect is read back from the node. */
  readonly readBack?: ReadBack;
  readonly description: string;
  readonly spec: z.ZodType<S, I>;
  /**
   * The task reads the node's facts first and plans from those, not from the stored copy.
   * A plan may then throw a SpecError naming the field the node contradicts (e.g. a missing disk).
   */
  readonly usesFacts?: boolean;
  /** The UPID's id field: the object acted on (pool name, ...); empty when none. */
  objectId?(spec: S): string;
  /** For kinds whose params decide whether they change the node (default: `mutating`). */
  isMutating?(spec: S): boolean;
  plan(spec: S, facts: NodeFacts | null): Plan;
  /**
   * Read-only commands that tell whether the task took effect, for a task whose worker died while
   * its command may have been running: each step's `verify` says what is not as intended. The task
   * is then never run again; it ends OK when the node reads back right, interrupted otherwise.
   */
  verifyAfterLoss?(spec: S): PlanStep[];
  finish?(spec: S, outputs: Outputs, ctx: FinishContext): JobOutcome;
}

/** The kind of task type `T` whose params are validated by the zod schema `Z`. */
export type JobKindOf<T extends TaskType, Z extends z.ZodType> = JobKind<z.output<Z>, T, z.input<Z>>;

/** One step as dry runs show it. */
export interface PlanStepView {
  command: string;
  description?: string;
  onlyIf?: string;
  /** The command is made at run time from earlier output; `command` describes it. */
  fromOutput?: boolean;
  retryUntil?: string;
  verifies?: boolean;
  reboots?: boolean;
  /** A failure after this step runs the plan's rollback. */
  armsRollback?: boolean;
  /** Runs on a new SSH connection, waiting up to this long for the node to accept one. */
  reconnectWaitMs?: number;
  writes?: { path: string; content: string }[];
}

/** The serialisable form of a plan, as dry runs return it and task rows store it. */
export interface PlanView {
  notes: string[];
  steps: PlanStepView[];
  /** What runs when the plan fails after its backup, and what the error then says. */
  rollback?: { describe: string; steps: PlanStepView[]; done: string };
}

export function planView(plan: Plan): PlanView {
  return {
    notes: plan.notes ?? [],
    steps: plan.steps.map(stepView),
    ...(plan.rollback
      ? { rollback: { describe: plan.rollback.describe, steps: plan.rollback.steps.map(stepView), done: plan.rollback.done } }
      : {}),
  };
}

function stepView(s: PlanStep): PlanStepView {
  return {
    command: s.command,
    ...(s.description ? { description: s.description } : {}),
    ...(s.when ? { onlyIf: s.when.describe } : {}),
    ...(s.commandFrom ? { fromOutput: true } : {}),
    ...(s.retry ? { retryUntil: s.retry.describe } : {}),
    ...(s.verify ? { verifies: true } : {}),
    ...(s.reboot ? { reboots: true } : {}),
    ...(s.armsRollback ? { armsRollback: true } : {}),
    ...(s.reconnect ? { reconnectWaitMs: s.reconnect.waitMs } : {}),
    ...(s.writes?.length ? { writes: s.writes } : {}),
  };
}

/**
 * The step as it runs now: `commandFrom` resolved against what earlier steps captured, or null when
 * it says there is nothing to run.
 */
export function resolveStep(step: PlanStep, outputs: Outputs): PlanStep | null {
  if (!step.commandFrom) return step;
  const command = step.commandFrom(outputs);
  return command === null ? null : { ...step, command };
}
