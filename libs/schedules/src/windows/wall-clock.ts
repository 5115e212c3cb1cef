import { IANAZone } from 'luxon';

/**
 * Wall-clock arithmetic in a time zone on "floating" times: a local date and time written as the
 * milliseconds of the same date and time in UTC, so that days and weekdays are plain UTC arithmetic
 * and only the conversion to a real instant knows the zone.
 */
export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** The zone, or null when the name is no IANA zone this Node knows. */
export function zoneNamed(name: string): IANAZone | null {
  return IANAZone.isValidZone(name) ? IANAZone.create(name) : null;
}

/** The wall-clock time (floating) that `instantMs` shows in `zone`. */
export function floatingOf(instantMs: number, zone: IANAZone): number {
  return instantMs + zone.offset(instantMs) * MINUTE_MS;
}

/**
 * The instant a wall-clock time (floating) names in `zone`. Twice in the autumn change: the first
 * (the clock reaches it first). Never in the spring gap: the first instant after the gap, so a time
 * inside it means the moment the clocks jump (a window 02:00–04:00 on that day opens at 03:00 and is
 * an hour shorter; one wholly inside the gap does not open that day).
 */
export function instantOf(floatingMs: number, zone: IANAZone): number {
  const offsets = new Set([-DAY_MS, 0, DAY_MS].map((d) => zone.offset(floatingMs + d)));
  const valid = [...offsets].map((o) => floatingMs - o * MINUTE_MS).filter((t) => floatingOf(t, zone) === floatingMs);
  if (valid.length) return Math.min(...valid);
  // In a gap: the clocks jumped over it somewhere between the two offsets' readings.
  const ordered = [...offsets].sort((a, b) => b - a);
  let lo = floatingMs - ordered[0] * MINUTE_MS; // before the change
  let hi = floatingMs - ordered[ordered.length - 1] * MINUTE_MS; // after it
  const after = zone.offset(hi);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (zone.offset(mid) === after) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Midnight (floating) of the local day `floatingMs` falls in. */
export const dayOf = (floatingMs: number): number => Math.floor(floatingMs / DAY_MS) * DAY_MS;

/** `HH:MM` as minutes after midnight. */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}
