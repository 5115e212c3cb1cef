import type { NodeSelector } from '@pvefleet/desired';
import type { WeeklyRange, WindowDefinition } from '../windows';

/** A maintenance window as revisions store it (the API's body, whole). */
export interface WindowDocument {
  name: string;
  description: string;
  selector: NodeSelector | null;
  clusters: string[];
  timezone: string;
  weekly: WeeklyRange[] | null;
  rrule: string | null;
  durationMinutes: number | null;
  enabled: boolean;
}

export interface StoredWindow extends WindowDocument {
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface StoredWindowRevision {
  n: number;
  author: string;
  createdAt: Date;
  document: Record<string, unknown> | null;
  diff: unknown[];
}

/** The part window arithmetic reads. */
export function definitionOf(w: WindowDocument): WindowDefinition {
  return w.weekly
    ? { name: w.name, timezone: w.timezone, weekly: w.weekly }
    : { name: w.name, timezone: w.timezone, rrule: w.rrule ?? '', durationMinutes: w.durationMinutes ?? 0 };
}
