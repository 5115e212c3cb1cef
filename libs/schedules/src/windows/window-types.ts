/** Days as weekly ranges name them; index 0 is Sunday, as `Date#getUTCDay` counts. */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * A weekly opening: on each of `days`, from `start` to `end` (wall-clock `HH:MM` in the window's time
 * zone). An `end` at or before `start` ends on the next day (`22:00`–`02:00`); `24:00` is midnight.
 */
export interface WeeklyRange {
  days: readonly Weekday[];
  start: string;
  end: string;
}

/**
 * When a maintenance window is open: weekly ranges, or an iCal RRULE whose occurrences each open it
 * for `durationMinutes`. Times are wall-clock in `timezone` (an IANA name).
 */
export type WindowRecurrence =
  { weekly: readonly WeeklyRange[]; rrule?: null; durationMinutes?: null } | { rrule: string; durationMinutes: number; weekly?: null };

export type WindowDefinition = { name: string; timezone: string } & WindowRecurrence;

/** One time a window is open, as instants: [start, end). */
export interface Opening {
  /** The window's name (the first one's, when overlapping windows make one opening). */
  name: string;
  start: Date;
  end: Date;
}
