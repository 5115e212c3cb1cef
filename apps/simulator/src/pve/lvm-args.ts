/** LVM's command line: `-L 10G`, `--size=10G`, `-ff`, `-o+lv_size`, positional names. */
export interface LvmArgs {
  positional: string[];
  flag(...names: string[]): boolean;
  /** The last value of any of the names. */
  value(...names: string[]): string | undefined;
  values(...names: string[]): string[];
  /** How many times a flag was given (`-ff` = 2). */
  count(name: string): number;
}

export function lvmArgs(args: string[], withValue: string[]): LvmArgs {
  const given: [string, string][] = [];
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      if (eq >= 0) given.push([name, a.slice(eq + 1)]);
      else if (withValue.includes(name)) given.push([name, args[++i] ?? '']);
      else given.push([name, '']);
    } else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        if (withValue.includes(c)) {
          const rest = a.slice(j + 1);
          given.push([c, rest || (args[++i] ?? '')]);
          break;
        }
        given.push([c, '']);
      }
    } else positional.push(a);
  }
  const matching = (names: string[]): string[] => given.filter(([k]) => names.includes(k)).map(([, v]) => v);
  return {
    positional,
    flag: (...names) => given.some(([k]) => names.includes(k)),
    value: (...names) => matching(names).at(-1),
    values: (...names) => matching(names),
    count: (name) => given.filter(([k]) => k === name).length,
  };
}

const POWERS: Record<string, number> = { b: 0, s: 0, k: 1, m: 2, g: 3, t: 4, p: 5, e: 6 };

/** A `--size` argument in bytes (units are binary whatever their case; no unit = MiB), or undefined if invalid. */
export function parseLvmSize(text: string): number | undefined {
  const m = /^\+?(\d+(?:\.\d+)?)([bBsSkKmMgGtTpPeE])?$/.exec(text);
  if (!m) return undefined;
  const unit = ((m[2] as string | undefined) ?? 'm').toLowerCase();
  const bytes = Number(m[1]) * (unit === 's' ? 512 : 1024 ** POWERS[unit]);
  return Math.ceil(bytes);
}

/**
 * A size as LVM reports it: `--units h` (default) picks the largest binary unit with 2 decimals and a
 * lowercase suffix, `<` when the shown value was rounded up; `b` is exact bytes; `--nosuffix` drops the unit.
 */
export function lvmSize(bytes: number, units: string, suffix: boolean): string {
  if (units === 'b' || units === 'B') return `${bytes}${suffix ? 'B' : ''}`;
  if (units === 's' || units === 'S') return `${bytes / 512}${suffix ? 'S' : ''}`;
  const si = units !== 'h' && units === units.toUpperCase() && units !== 'R';
  const base = si ? 1000 : 1024;
  let power: number;
  if (units === 'h' || units === 'H' || units === 'r' || units === 'R') {
    if (bytes === 0) return suffix ? '0 ' : '0';
    power = 0;
    while (power < 6 && bytes >= base ** (power + 1)) power++;
  } else power = POWERS[units.toLowerCase()];
  const letters = 'bkmgtpe';
  const value = bytes / base ** power;
  const shown = value.toFixed(2);
  const approx = Number(shown) > value + 1e-9 ? '<' : '';
  const unit = letters[power];
  return `${approx}${shown}${suffix ? (si ? unit.toUpperCase() : unit) : ''}`;
}
