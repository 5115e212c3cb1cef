import type { SwappinessFacts } from '../../../node-facts';
import { parseSourceFiles } from './sources';

/** A sysctl.d line setting vm.swappiness (`-` in front: ignore a missing key; `/` may stand for `.`). */
const SETTING = /^\s*-?vm[./]swappiness\s*=\s*(\d+)\s*$/;

/**
 * `sysctl -n vm.swappiness` and the sysctl.d files as the facts script lists them (`==> PATH <==`
 * then their vm.swappiness lines, directories in precedence order). Boot applies one file per name,
 * the first directory's (/etc before /run before /usr/lib), all of them sorted by name, so the last
 * setting in that order is the value a boot leaves. Null when sysctl gave no number.
 */
export function parseSwappiness(live: string, files: string): SwappinessFacts | null {
  const now = live.trim();
  if (!/^\d+$/.test(now)) return null;
  const byName = new Map<string, { path: string; content: string }>();
  for (const f of parseSourceFiles(files)) {
    const name = f.path.slice(f.path.lastIndexOf('/') + 1);
    if (!byName.has(name)) byName.set(name, f);
  }
  const settings = [...byName.keys()]
    .sort(byteOrder)
    .map((name) => byName.get(name))
    .filter((f) => f !== undefined)
    .flatMap((f) =>
      f.content
        .split('\n')
        .map((line) => SETTING.exec(line))
        .filter((m) => m !== null)
        .map((m) => ({ path: f.path, value: Number(m[1]) })),
    );
  return { live: Number(now), settings };
}

/** systemd orders configuration files by name with strcmp, not by locale. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
