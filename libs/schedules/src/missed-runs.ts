import type { MissedRunPolicy } from './schedule-options';

/** Past this, a fire time nobody fired was missed (pvefleet was down), not merely noticed late. */
export const MISSED_GRACE_MS = 2 * 60_000;

export interface FireDecision {
  fireAt: Date;
  /** run: fire it now; missed: record it as skipped because it was missed. */
  decision: 'run' | 'missed';
}

/**
 * What to do with the fire times that came due since the schedule last fired (oldest first). Times
 * within the grace run. Older ones were missed: `skip` records them skipped; `run-once` runs the
 * latest missed time once (the others are skipped), unless a time within the grace runs anyway.
 */
export function decideFires(due: readonly Date[], now: Date, policy: MissedRunPolicy, graceMs = MISSED_GRACE_MS): FireDecision[] {
  const missed = due.filter((t) => now.getTime() - t.getTime() > graceMs);
  const onTime = due.filter((t) => now.getTime() - t.getTime() <= graceMs);
  const runOnce = policy === 'run-once' && onTime.length === 0 ? missed.at(-1) : undefined;
  return [
    ...missed.map((fireAt): FireDecision => ({ fireAt, decision: fireAt === runOnce ? 'run' : 'missed' })),
    ...onTime.map((fireAt): FireDecision => ({ fireAt, decision: 'run' })),
  ];
}
