/**
 * Maintenance windows as the rollout orchestrator asks about them, before a batch's first node work.
 * Declared here and provided by `@pvefleet/schedules/state` (WindowsGateModule, global in the
 * worker), so rollouts never import the schedules package; without a provider every batch starts
 * at once, as before windows existed.
 */
export const ROLLOUT_WINDOWS = Symbol('ROLLOUT_WINDOWS');

/** Why a batch waits: the node and window it waits for, and when the batch may start (null: no fitting opening within a year). */
export interface BatchWindowWait {
  node: string;
  window: string | null;
  at: Date | null;
}

export interface RolloutWindows {
  /** Null when every node may start its rollout work at `now`; else what the batch waits for. */
  batchWait(nodes: readonly { node: string; nodeId: number | null }[], now: Date): Promise<BatchWindowWait | null>;
}
