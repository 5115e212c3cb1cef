import type { IANAZone } from 'luxon';
import type { WeeklyRange } from './window-types';
import { WEEKDAYS } from './window-types';
import { DAY_MS, dayOf, floatingOf, instantOf, MINUTE_MS, minutesOf } from './wall-clock';

/**
 * The openings of weekly ranges that overlap [fromMs, toMs), as instants. Each day's start and end
 * are wall-clock times converted on their own, so an opening across a DST change is shorter or
 * longer by the change, as the clock on the wall says.
 */
export function weeklyOpenings(ranges: readonly WeeklyRange[], zone: IANAZone, fromMs: number, toMs: number): [number, number][] {
  const out: [number, number][] = [];
  // A range may start the day before `from` and end past midnight; a day of margin covers any offset.
  const first = dayOf(floatingOf(fromMs, zone)) - 2 * DAY_MS;
  const last = dayOf(floatingOf(toMs, zone)) + DAY_MS;
  for (let day = first; day <= last; day += DAY_MS) {
    const weekday = WEEKDAYS[new Date(day).getUTCDay()];
    for (const r of ranges) {
      if (!r.days.includes(weekday)) continue;
      const start = minutesOf(r.start);
      const endMinutes = minutesOf(r.end);
      const end = endMinutes <= start ? endMinutes + 24 * 60 : endMinutes;
      const s = instantOf(day + start * MINUTE_MS, zone);
      const e = instantOf(day + end * MINUTE_MS, zone);
      if (e > s && e > fromMs && s < toMs) out.push([s, e]);
    }
  }
  return out;
}
