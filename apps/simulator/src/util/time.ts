const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * C `ctime()` / Perl `scalar localtime` form: `Sat Oct  3 14:02:11 2026`.
 * The simulator reports every clock in UTC, so local time is UTC.
 */
export function ctime(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${hms(d)} ${d.getUTCFullYear()}`;
}

/** OpenSSL's `notAfter=` form: `Nov  9 18:12:55 2025 GMT`. */
export function opensslDate(ms: number): string {
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${hms(d)} ${d.getUTCFullYear()} GMT`;
}

/** journalctl short form: `Nov 23 10:00:00`. */
export function journalDate(ms: number): string {
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${pad2(d.getUTCDate())} ${hms(d)}`;
}

/** `2026-03-10 09:12:44` as printed by `uptime -s` and migration logs. */
export function isoLocal(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${hms(d)}`;
}

function hms(d: Date): string {
  return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

/** Ceph's `timespan_str` rounding: 100s, 25m, 3h, 5d, 3w, 2M. */
export function cephAge(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 2 * 86400) return `${Math.floor(s / 3600)}h`;
  if (s < 14 * 86400) return `${Math.floor(s / 86400)}d`;
  if (s < 60 * 86400) return `${Math.floor(s / (7 * 86400))}w`;
  return `${Math.floor(s / (30 * 86400))}M`;
}

/** `HH:MM:SS` duration as in `migration finished successfully (duration 00:00:18)`. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor((s % 3600) / 60))}:${pad2(s % 60)}`;
}

/** Parses journalctl/date style times: `-1h`, `@1700000000`, `2026-01-02 10:00[:00]`, `today`, `yesterday`, `now`. */
export function parseSince(text: string, now: number): number | undefined {
  const t = text.trim();
  if (t === 'now') return now;
  if (t === 'today') return Math.floor(now / 86400000) * 86400000;
  if (t === 'yesterday') return Math.floor(now / 86400000) * 86400000 - 86400000;
  if (t.startsWith('@')) return Number(t.slice(1)) * 1000;
  const rel = /^([+-])\s*(\d+)\s*(s|sec|m|min|h|hour|hours|d|day|days|w)?\s*(ago)?$/.exec(t);
  if (rel) {
    const unit: Record<string, number> = {
      s: 1,
      sec: 1,
      m: 60,
      min: 60,
      h: 3600,
      hour: 3600,
      hours: 3600,
      d: 86400,
      day: 86400,
      days: 86400,
      w: 604800,
    };
    const ms = Number(rel[2]) * (unit[rel.at(3) ?? 's'] ?? 1) * 1000;
    return rel[1] === '-' ? now - ms : now + ms;
  }
  const ago = /^(\d+)\s*(s|sec|min|m|h|hour|hours|d|days?)\s+ago$/.exec(t);
  if (ago) return parseSince(`-${ago[1]}${ago[2]}`, now);
  const abs = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  if (abs) return Date.UTC(+abs[1], +abs[2] - 1, +abs[3], +(abs.at(4) ?? 0), +(abs.at(5) ?? 0), +(abs.at(6) ?? 0));
  return undefined;
}
