import { HORIZON_MS, openingsBetween } from './window-openings';
import type { Opening, WindowDefinition } from './window-types';

/**
 * Whether work expected to take `expectedMs` may start on a node at `at`, given the node's windows:
 * - `unrestricted`: the node has no window;
 * - `open`: `at` is inside an opening with at least `expectedMs` left (it ends at `opening.end`);
 * - `wait`: not now; `next` is the first later opening long enough (null: none within a year),
 *   `current` the opening `at` is in when too little of it is left.
 */
export type WindowVerdict =
  { kind: 'unrestricted' } | { kind: 'open'; opening: Opening } | { kind: 'wait'; next: Opening | null; current: Opening | null };

export function windowVerdict(windows: readonly WindowDefinition[], at: Date, expectedMs: number): WindowVerdict {
  if (!windows.length) return { kind: 'unrestricted' };
  const t = at.getTime();
  const openings = openingsBetween(windows, at, new Date(t + HORIZON_MS));
  const current = openings.find((o) => o.start.getTime() <= t && t < o.end.getTime()) ?? null;
  if (current && current.end.getTime() - t >= expectedMs) return { kind: 'open', opening: current };
  const next = openings.find((o) => o.start.getTime() > t && o.end.getTime() - o.start.getTime() >= expectedMs) ?? null;
  return { kind: 'wait', next, current };
}

/**
 * What a node shows as its next window: the opening it is in now (`open: true`, until its end), else
 * the next one to start; null when it has no window or none opens within a year.
 */
export function nextWindow(windows: readonly WindowDefinition[], at: Date): (Opening & { open: boolean }) | null {
  if (!windows.length) return null;
  const t = at.getTime();
  const o = openingsBetween(windows, at, new Date(t + HORIZON_MS)).find((x) => x.end.getTime() > t);
  return o ? { ...o, open: o.start.getTime() <= t } : null;
}
