/**
 * How long work is expected to take, to decide whether it fits in what is left of a window: the
 * median of the last finished runs of that task type on that node; without any, the same fleet-wide;
 * without any, the kind's default below. Only successful runs count (a failure that stopped early
 * says nothing of how long the work takes).
 */
export const RECENT_RUNS = 5;

/** What `rollout-node` stands for: one node's whole way through a rollout (all its steps). */
export const ROLLOUT_NODE_WORK = 'rollout-node';

const MINUTE = 60_000;
/** The defaults, in one place: a guess on the safe side until a node has history. */
export const DEFAULT_DURATIONS_MS: Readonly<Partial<Record<string, number>>> = {
  [ROLLOUT_NODE_WORK]: 30 * MINUTE,
  aptupgrade: 15 * MINUTE,
  netconfig: 5 * MINUTE,
  zfscreate: 5 * MINUTE,
  acmerenew: 2 * MINUTE,
  acmenewcert: 2 * MINUTE,
};
/** Any other kind. */
export const FALLBACK_DURATION_MS = 5 * MINUTE;

export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : Math.round((s[mid - 1] + s[mid]) / 2);
}

/** The expected duration of `type` work from the node's recent run durations, else the fleet's, else the default. */
export function expectedDurationMs(type: string, nodeRuns: readonly number[], fleetRuns: readonly number[]): number {
  return median(nodeRuns) ?? median(fleetRuns) ?? DEFAULT_DURATIONS_MS[type] ?? FALLBACK_DURATION_MS;
}
