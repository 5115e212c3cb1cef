const DAY_MS = 86_400_000;

/**
 * Whole days a certificate has left at `now`, rounded down: 9.9 days is 9, and one that expired
 * half a day ago has -1. The report, its `maxDays` filter and the alerts count the same way.
 */
export function daysLeft(notAfter: Date, now: Date): number {
  return Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
}

/**
 * The notAfter bound for `maxDays`: a certificate has at most `maxDays` days left exactly when it
 * expires before this instant (so SQL filters on the stored notAfter, as `daysLeft` would count).
 */
export function expiresBefore(maxDays: number, now: Date): Date {
  return new Date(now.getTime() + (maxDays + 1) * DAY_MS);
}
