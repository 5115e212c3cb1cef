import type { ErrorClass } from '@pvefleet/errors';
import type { RolloutRequest } from './rollout.schemas';
import type { StepName } from './node-steps';
import type { ReleaseRecord } from './node-release';

export type RolloutStatus =
  'pending' | 'running' | 'paused' | 'awaiting_approval' | 'halting' | 'aborting' | 'completed' | 'halted' | 'aborted' | 'failed';
export const ACTIVE_STATUSES: RolloutStatus[] = ['pending', 'running', 'paused', 'awaiting_approval', 'halting', 'aborting'];

export interface RolloutRow {
  id: number;
  status: RolloutStatus;
  spec: RolloutRequest;
  batches: string[][];
  currentBatch: number;
  nextBatchAt: Date | null;
  /** Pre-flight tasks: `{ "<cluster>": upid }` per batch; `{ "pve8to9:<node>": upid }` before a major upgrade. */
  preflight: Record<string, string>;
  /** `{ "<cluster>": { ceph?: boolean, halted?: string } }`: a cluster is missing until its first pre-flight or halt. */
  clusters: Partial<Record<string, { ceph?: boolean; halted?: string }>>;
  user: string;
  reason: string | null;
  /** Asked with the abort (null: the default of `leavesOnAbort`). */
  abortLeaveMaintenance: boolean | null;
}

/** `skipped`: nothing to do (up to date); `not_started`: never began because the rollout (or its cluster) halted or was aborted. */
export type NodeState = 'pending' | 'running' | 'done' | 'skipped' | 'not_started' | 'failed' | 'aborted';

export interface RolloutNodeRow {
  id: number;
  node: string;
  nodeId: number | null;
  facts: unknown;
  cluster: string | null;
  batch: number;
  position: number;
  state: NodeState;
  step: StepName | null;
  taskUpid: string | null;
  tasks: { step: StepName; upid: string; exitstatus?: string | null }[];
  retries: number;
  detail: string | null;
  release: ReleaseRecord | null;
}

/** A node with a release under way (POST …/nodes/{node}/release), as the release driver advances it. */
export type ReleasingNode = RolloutNodeRow & { release: ReleaseRecord };

/** How a step's task ended, as the orchestrator decides on it: by `errorClass`, never by the exit status text. */
export interface TaskOutcome {
  upid: string;
  status: 'queued' | 'running' | 'stopped';
  exitstatus: string | null;
  isError: boolean;
  /** Why it failed (null: it did not, or the row predates classes, read as permanent). */
  errorClass: ErrorClass | null;
  result: Record<string, unknown> | null;
}

/** A failed step is run again only when its worker was lost mid-task (steps are idempotent). */
export const wasInterrupted = (outcome: Pick<TaskOutcome, 'isError' | 'errorClass'>): boolean =>
  outcome.isError && outcome.errorClass === 'interrupted';

/** The rollout's own columns, for the API's views. */
export interface RolloutSummary {
  id: number;
  status: RolloutStatus;
  reason: string | null;
  user: string;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
}

export interface RolloutDetail extends RolloutSummary {
  spec: unknown;
  batches: string[][];
  currentBatch: number;
  nextBatchAt: Date | null;
  nodes: (Omit<RolloutNodeRow, 'nodeId' | 'facts'> & { startedAt: Date | null; endedAt: Date | null })[];
}

export interface RolloutEventRow {
  id: number;
  at: Date;
  level: string;
  node: string | null;
  message: string;
}

/** A new rollout as the API stores it: its nodes in order and its first event. */
export interface NewRollout {
  spec: object;
  batches: string[][];
  user: string;
  nodes: { node: string; nodeId: number; cluster: string | null; batch: number; position: number }[];
  created: string;
}
