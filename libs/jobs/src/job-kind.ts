import type { z } from 'zod';
import type { NodeFacts } from './node-facts';

/** One command of a plan, run over SSH exactly as written here. */
export interface PlanStep {
  command: string;
  /** Keeps this command's stdout under this name for the kind's `finish`. */
  capture?: string;
  /** Exit codes that count as success; any other fails the task. Default: [0]. */
  okExitCodes?: number[];
  timeoutMs?: number;
  /** Files the command writes (shown by dry runs). */
  writes?: { path: string; content: string }[];
  /** Output is parsed by `finish` rather than shown line by line (e.g. huge listings). */
  quiet?: boolean;
}

export interface Plan {
  steps: PlanStep[];
  /** Lines logged before the first command (e.g. why a step is skipped). */
  notes?: string[];
}

export interface CapturedOutput {
  stdout: string;
  exitCode: number | null;
}

export interface JobOutcome {
  /** New facts for the node (read-only kinds that inspect it). */
  facts?: NodeFacts;
  /** Structured data recorded on the task (e.g. the upgradable packages). */
  result?: Record<string, unknown>;
  /** Each becomes a `WARN:` line; the task then ends `WARNINGS: N` as on Proxmox. */
  warnings?: string[];
}

/**
 * A job kind: a validated spec, a pure plan from spec and facts, and what to make of the output.
 * Plans never touch the network, a database or the clock, so dry runs and unit tests see exactly
 * what a node would run.
 */
export interface JobKind<S = unknown> {
  /** Task type; Proxmox's name where one exists (aptupdate, zfscreate, ...). */
  readonly type: string;
  readonly mutating: boolean;
  readonly description: string;
  readonly spec: z.ZodType<S>;
  /** The UPID's id field: the object acted on (pool name, ...); empty when none. */
  objectId?(spec: S): string;
  plan(spec: S, facts: NodeFacts | null): Plan;
  finish?(spec: S, outputs: Readonly<Record<string, CapturedOutput>>): JobOutcome;
}
