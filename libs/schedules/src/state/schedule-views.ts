import type { ScheduleDetailView, ScheduleRevisionView, ScheduleRunView, ScheduleView } from '@pvefleet/contracts';
import { CronSchedule } from '@pvefleet/schedules';
import type { RunTaskCounts, StoredSchedule, StoredScheduleRevision, StoredScheduleRun } from './schedule-documents';

/** The next five fire times after `now` (none while paused), each also as wall-clock time in the schedule's zone. */
export function toScheduleView(s: StoredSchedule, now: Date): ScheduleView {
  const next = s.enabled ? new CronSchedule(s.cron, s.timezone).next(5, now) : [];
  return {
    id: s.id,
    name: s.name,
    cron: s.cron,
    timezone: s.timezone,
    selector: s.selector as Record<string, unknown>,
    action: s.action,
    spread: s.spread,
    missedRun: s.missedRun,
    overlap: s.overlap,
    enabled: s.enabled,
    builtin: s.builtin,
    revision: s.revision,
    lastFireAt: s.lastFireAt?.toISOString() ?? null,
    nextRuns: next.map((at) => ({ at: at.toISOString(), local: localTime(at, s.timezone) })),
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

export function toScheduleDetailView(
  s: StoredSchedule,
  now: Date,
  runs: (StoredScheduleRun & { tasks: RunTaskCounts })[],
): ScheduleDetailView {
  return { ...toScheduleView(s, now), lastRuns: runs.map(toRunView) };
}

export function toRunView(r: StoredScheduleRun & { tasks: RunTaskCounts }): ScheduleRunView {
  return {
    id: r.id,
    fireAt: r.fireAt.toISOString(),
    status: r.status,
    reason: r.reason,
    detail: r.detail,
    createdAt: r.createdAt.toISOString(),
    tasks: r.tasks,
  };
}

export function toScheduleRevisionView(r: StoredScheduleRevision): ScheduleRevisionView {
  return {
    n: r.n,
    author: r.author,
    createdAt: r.createdAt.toISOString(),
    document: r.document,
    diff: r.diff as ScheduleRevisionView['diff'],
  };
}

/** `2027-03-28T03:00:00+02:00`: the instant as the schedule's zone reads it, with that zone's offset then. */
export function localTime(at: Date, timezone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : parts.timeZoneName.replace('GMT', '');
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}
