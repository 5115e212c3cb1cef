import type { MissedRunPolicy, OverlapPolicy } from '@pvefleet/schedules';
import type { NodeSelector } from '@pvefleet/desired';

/** A schedule's action as stored (the contracts' ScheduleAction, already validated). */
export type StoredAction =
  | { kind: 'job'; type: string; params: Record<string, unknown> }
  | { kind: 'reconcile'; fields?: string[] }
  | { kind: 'rollout'; template: Record<string, unknown> };

/** What a schedule is: what a revision stores and what a save writes. */
export interface ScheduleDocument {
  name: string;
  cron: string;
  timezone: string;
  selector: NodeSelector;
  action: StoredAction;
  spread: number;
  missedRun: MissedRunPolicy;
  overlap: OverlapPolicy;
  enabled: boolean;
}

export interface StoredSchedule extends ScheduleDocument {
  id: number;
  builtin: string | null;
  revision: number;
  lastFireAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Exactly a schedule's document fields (a stored schedule, or a body, carries more). */
export const documentOf = (s: ScheduleDocument): ScheduleDocument => ({
  name: s.name,
  cron: s.cron,
  timezone: s.timezone,
  selector: s.selector,
  action: s.action,
  spread: s.spread,
  missedRun: s.missedRun,
  overlap: s.overlap,
  enabled: s.enabled,
});

export interface StoredScheduleRevision {
  n: number;
  author: string;
  createdAt: Date;
  document: Record<string, unknown> | null;
  diff: unknown[];
}

export type ScheduleRunStatus = 'started' | 'skipped' | 'failed';

export interface StoredScheduleRun {
  id: number;
  scheduleId: number;
  fireAt: Date;
  status: ScheduleRunStatus;
  reason: string | null;
  detail: Record<string, unknown>;
  createdAt: Date;
}

/** A run's tasks counted: by status, held among the queued, by result among the stopped. */
export interface RunTaskCounts {
  total: number;
  held: number;
  queued: number;
  running: number;
  stopped: number;
  ok: number;
  failed: number;
}
