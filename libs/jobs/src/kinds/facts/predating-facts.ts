import type { Plan } from '../../job-kind';

/**
 * The plan shown from stored facts collected before pvefleet read `what` (the section is absent, not
 * null): nothing to decide from yet. Such a kind uses facts, so its task reads fresh ones first and
 * plans from them, as for a node with no facts at all.
 */
export function predatingFactsPlan(what: string): Plan {
  return { notes: [`the stored facts predate pvefleet reading ${what}: the task reads them first and plans from them`], steps: [] };
}
