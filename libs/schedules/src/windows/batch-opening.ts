import { windowVerdict } from './window-verdict';
import type { WindowDefinition } from './window-types';

/** One node of a batch: its windows and how long its work is expected to take. */
export interface BatchMember {
  node: string;
  windows: readonly WindowDefinition[];
  expectedMs: number;
}

/**
 * When a batch may start its node work: `now` when every member is unrestricted or inside an
 * opening with room for its work, else the earliest later time when all are (each member's next
 * fitting opening, taken in turn until they agree). `blocker` names the member and window waited
 * for first; `at` is null when no such time comes within a year.
 */
export type BatchStart = { now: true } | { now: false; at: Date | null; blocker: { node: string; window: string | null } };

const MAX_ROUNDS = 50;

export function batchStart(members: readonly BatchMember[], now: Date): BatchStart {
  let at = now;
  let blocker: { node: string; window: string | null } | null = null;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let later: Date | null = null;
    for (const m of members) {
      const v = windowVerdict(m.windows, at, m.expectedMs);
      if (v.kind !== 'wait') continue;
      blocker ??= { node: m.node, window: v.next?.name ?? v.current?.name ?? m.windows.at(0)?.name ?? null };
      if (!v.next) return { now: false, at: null, blocker };
      if (!later || v.next.start > later) later = v.next.start;
    }
    if (!later) return at === now ? { now: true } : { now: false, at, blocker: blocker ?? { node: '', window: null } };
    at = later;
  }
  return { now: false, at: null, blocker: blocker ?? { node: '', window: null } };
}
