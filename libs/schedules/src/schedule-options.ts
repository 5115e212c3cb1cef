/** What a schedule does with a fire time that passed while pvefleet was down. */
export const MISSED_RUN_POLICIES = ['skip', 'run-once'] as const;
export type MissedRunPolicy = (typeof MISSED_RUN_POLICIES)[number];

/** What a schedule does when its previous run still has tasks queued or running. */
export const OVERLAP_POLICIES = ['skip', 'queue'] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];
