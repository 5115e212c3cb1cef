import type { IANAZone } from 'luxon';
import { DAY_MS, zoneNamed } from './wall-clock';
import { weeklyOpenings } from './weekly-openings';
import { parseWindowRule, ruleOpenings } from './window-rrule';
import type { Opening, WindowDefinition } from './window-types';

/** How far ahead the next opening is looked for: a yearly rule opens once in it. */
export const HORIZON_MS = 370 * DAY_MS;

/**
 * Every opening of `windows` that overlaps [from, to), sorted, overlapping or touching openings of
 * different windows merged into one (work may run from one into the next). A window whose zone or
 * rule no longer parses (stored before a library change) opens never rather than always.
 */
export function openingsBetween(windows: readonly WindowDefinition[], from: Date, to: Date): Opening[] {
  const raw: { name: string; s: number; e: number }[] = [];
  for (const w of windows) {
    const zone = zoneNamed(w.timezone);
    if (!zone) continue;
    for (const [s, e] of openingsOf(w, zone, from.getTime(), to.getTime())) raw.push({ name: w.name, s, e });
  }
  raw.sort((a, b) => a.s - b.s || b.e - a.e);
  const merged: { name: string; s: number; e: number }[] = [];
  for (const o of raw) {
    const last = merged.at(-1);
    if (last && o.s <= last.e) last.e = Math.max(last.e, o.e);
    else merged.push({ ...o });
  }
  return merged.map((o) => ({ name: o.name, start: new Date(o.s), end: new Date(o.e) }));
}

function openingsOf(w: WindowDefinition, zone: IANAZone, fromMs: number, toMs: number): [number, number][] {
  if (w.weekly) return weeklyOpenings(w.weekly, zone, fromMs, toMs);
  const parsed = parseWindowRule(w.rrule);
  return 'rule' in parsed ? ruleOpenings(parsed.rule, w.durationMinutes, zone, fromMs, toMs) : [];
}
