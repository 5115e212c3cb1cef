import type { Opening } from '../windows';
import type { StoredWindow, StoredWindowRevision } from './windows-documents';

const openingView = (o: (Opening & { open: boolean }) | null) =>
  o && { start: o.start.toISOString(), end: o.end.toISOString(), open: o.open };

/** A window as the API shows it (libs/contracts/src/windows.contract.ts `windowViewSchema`). */
export function toWindowView(w: StoredWindow, next: (Opening & { open: boolean }) | null) {
  return {
    name: w.name,
    description: w.description,
    selector: w.selector as Record<string, unknown> | null,
    clusters: w.clusters,
    timezone: w.timezone,
    weekly: w.weekly?.map((r) => ({ days: [...r.days], start: r.start, end: r.end })) ?? null,
    rrule: w.rrule,
    durationMinutes: w.durationMinutes,
    enabled: w.enabled,
    next: openingView(next),
    revision: w.revision,
    createdAt: w.createdAt.toISOString(),
    updatedAt: w.updatedAt.toISOString(),
  };
}

export function toWindowRevisionView(r: StoredWindowRevision) {
  return { n: r.n, author: r.author, createdAt: r.createdAt.toISOString(), document: r.document, diff: r.diff as never[] };
}

/** A node's next window as `GET /nodes/{name}` shows it. */
export function toNodeNextWindow(o: (Opening & { open: boolean }) | null) {
  return o && { name: o.name, ...openingView(o) };
}
