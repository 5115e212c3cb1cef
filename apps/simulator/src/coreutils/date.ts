import { CommandContext, fail, out } from '../shell/command';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number): string => String(n).padStart(2, '0');

/** `date [-u] [-d @N|DATE] [+FORMAT|-R|-I…]` in UTC (every simulated node runs on UTC). */
export function formatDate(ctx: CommandContext): number {
  const args = ctx.argv.slice(1);
  let when = Number(ctx.env.get('__NOW_MS') ?? Date.now());
  let format = '%a %b %e %H:%M:%S %Z %Y';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-u' || a === '--utc') continue;
    if (a === '-d' || a === '--date' || a.startsWith('--date=')) {
      const v = a.startsWith('--date=') ? a.slice(7) : args.at(++i);
      const t = v?.startsWith('@') ? Number(v.slice(1)) * 1000 : Date.parse(v ?? '');
      if (Number.isNaN(t)) return fail(ctx, `date: invalid date '${v ?? ''}'`);
      when = t;
    } else if (a === '-R' || a === '--rfc-email') format = '%a, %d %b %Y %H:%M:%S +0000';
    else if (a.startsWith('-I') || a.startsWith('--iso-8601')) format = a.includes('seconds') ? '%Y-%m-%dT%H:%M:%S+00:00' : '%Y-%m-%d';
    else if (a.startsWith('+')) format = a.slice(1);
    else return fail(ctx, `date: invalid date '${a}'`);
  }
  out(ctx, strftime(format, when) + '\n');
  return 0;
}

export function strftime(format: string, ms: number): string {
  const d = new Date(ms);
  return format.replace(/%([a-zA-Z%])/g, (m, c: string) => {
    switch (c) {
      case 'Y':
        return String(d.getUTCFullYear());
      case 'y':
        return p2(d.getUTCFullYear() % 100);
      case 'm':
        return p2(d.getUTCMonth() + 1);
      case 'd':
        return p2(d.getUTCDate());
      case 'e':
        return String(d.getUTCDate()).padStart(2, ' ');
      case 'H':
        return p2(d.getUTCHours());
      case 'M':
        return p2(d.getUTCMinutes());
      case 'S':
        return p2(d.getUTCSeconds());
      case 's':
        return String(Math.floor(ms / 1000));
      case 'N':
        return String((ms % 1000) * 1_000_000).padStart(9, '0');
      case 'F':
        return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`;
      case 'T':
        return `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
      case 'R':
        return `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}`;
      case 'D':
        return `${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())}/${p2(d.getUTCFullYear() % 100)}`;
      case 'a':
        return DAYS[d.getUTCDay()];
      case 'b':
      case 'h':
        return MONTHS[d.getUTCMonth()];
      case 'Z':
        return 'UTC';
      case 'z':
        return '+0000';
      case '%':
        return '%';
      default:
        return m;
    }
  });
}
