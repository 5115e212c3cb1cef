/**
 * A small getopt: short flags may be bundled (`-qE`), value flags take the
 * rest of the word or the next word (`-n5`, `-n 5`), long flags may use `=`.
 * Unknown flags are kept as flags; programs decide whether to reject them.
 */
export interface ParsedArgs {
  flags: Set<string>;
  values: Map<string, string[]>;
  operands: string[];
}

export function parseArgs(args: string[], valueFlags = '', longValue: string[] = []): ParsedArgs {
  const flags = new Set<string>();
  const values = new Map<string, string[]>();
  const operands: string[] = [];
  const add = (k: string, v: string): void => {
    values.set(k, [...(values.get(k) ?? []), v]);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const key = eq < 0 ? a.slice(2) : a.slice(2, eq);
      if (eq >= 0) add(key, a.slice(eq + 1));
      else if (longValue.includes(key)) add(key, args[++i] ?? '');
      else flags.add(key);
      continue;
    }
    if (a.startsWith('-') && a.length > 1 && !/^-\d+$/.test(a)) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        if (valueFlags.includes(c)) {
          add(c, j + 1 < a.length ? a.slice(j + 1) : (args[++i] ?? ''));
          break;
        }
        flags.add(c);
      }
      continue;
    }
    operands.push(a);
  }
  return { flags, values, operands };
}

export const last = (p: ParsedArgs, key: string): string | undefined => {
  const v = p.values.get(key);
  return v?.[v.length - 1];
};
