import * as rrulePackage from 'rrule';
import type { IANAZone } from 'luxon';
import { DAY_MS, floatingOf, instantOf, MINUTE_MS } from './wall-clock';

// rrule ships one CommonJS bundle: the built apps (CommonJS) see its exports directly, an ES module
// loader (the unit tests) only under `default`.
const { RRule } = 'RRule' in rrulePackage ? rrulePackage : (rrulePackage as unknown as { default: typeof rrulePackage }).default;
type Rule = InstanceType<typeof RRule>;

/**
 * Where a rule without DTSTART counts from: Monday 2000-01-03 00:00 local, so `FREQ=WEEKLY` without
 * BYDAY means Mondays and `BYHOUR=2` alone means 02:00:00.
 */
const DEFAULT_ANCHOR = Date.UTC(2000, 0, 3);
/** Maintenance windows recur at most daily: finer rules are refused (and would cost an iteration per occurrence since the anchor). */
const FREQUENCIES = new Set([RRule.YEARLY, RRule.MONTHLY, RRule.WEEKLY, RRule.DAILY]);
const DTSTART_LINE = /^DTSTART:(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/;

/**
 * An iCal recurrence as a window's text: `FREQ=WEEKLY;BYDAY=SA;BYHOUR=2` (an `RRULE:` prefix is
 * allowed), optionally after a line `DTSTART:20270102T020000` to count INTERVAL and COUNT from. Every
 * time in it, DTSTART and UNTIL included, is wall-clock in the window's time zone: a `Z` or a TZID is
 * refused rather than silently meaning another zone. Returns the rule, or why it is refused.
 */
export function parseWindowRule(text: string): { rule: Rule } | { error: string } {
  const lines = text
    .trim()
    .split(/\r?\n/)
    .map((l) => l.trim());
  let anchor = DEFAULT_ANCHOR;
  if (lines.length > 2) return { error: 'at most two lines: an optional DTSTART:… and the rule' };
  if (lines.length === 2) {
    const m = DTSTART_LINE.exec(lines[0]);
    if (!m) return { error: 'the first line must be DTSTART:YYYYMMDDTHHMMSS (local time, no Z or TZID)' };
    const [, y, mo, d, h, mi, s] = m.map(Number);
    anchor = Date.UTC(y, mo - 1, d, h, mi, s);
    if (new Date(anchor).getUTCDate() !== d) return { error: 'DTSTART is not a date' };
  }
  const ruleText = lines[lines.length - 1].replace(/^RRULE:/i, '');
  if (/TZID|DTSTART|UNTIL=[^;]*Z/i.test(ruleText))
    return { error: 'times are local to the window: no TZID, no DTSTART inside the rule, no UNTIL ending in Z' };
  let options: ReturnType<typeof RRule.parseString>;
  try {
    options = RRule.parseString(ruleText);
  } catch (err) {
    return { error: `not an RRULE: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (options.freq === undefined) return { error: 'FREQ is missing' };
  if (!FREQUENCIES.has(options.freq)) return { error: 'FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY' };
  try {
    const rule = new RRule({ ...options, dtstart: new Date(anchor), tzid: null });
    rule.after(new Date(anchor), true); // options that only fail when iterated
    return { rule };
  } catch (err) {
    return { error: `not an RRULE: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/**
 * The openings of a rule that overlap [fromMs, toMs), as instants: each occurrence is a wall-clock
 * time in `zone` (in the spring gap: the end of the gap) and lasts `durationMinutes` of real time.
 * rrule itself runs on floating times only: its own TZID handling depends on the host's zone.
 */
export function ruleOpenings(rule: Rule, durationMinutes: number, zone: IANAZone, fromMs: number, toMs: number): [number, number][] {
  const duration = durationMinutes * MINUTE_MS;
  const occurrences = rule.between(new Date(floatingOf(fromMs, zone) - duration - DAY_MS), new Date(floatingOf(toMs, zone) + DAY_MS), true);
  const out: [number, number][] = [];
  for (const o of occurrences) {
    const s = instantOf(o.getTime(), zone);
    const e = s + duration;
    if (e > fromMs && s < toMs) out.push([s, e]);
  }
  return out;
}
