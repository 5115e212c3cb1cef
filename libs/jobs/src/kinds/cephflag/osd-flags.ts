import { isRecord, parseJson } from '../facts/parse/json';

/**
 * The OSD map flags from `ceph osd dump --format json`: `flags_set` (a sorted list), else the
 * comma-separated `flags` string. Null when the output is not an OSD map.
 */
export function parseOsdFlags(text: string): string[] | null {
  const map = parseJson(text.trim());
  if (!isRecord(map)) return null;
  if (Array.isArray(map.flags_set)) return map.flags_set.filter((f): f is string => typeof f === 'string');
  if (typeof map.flags === 'string') return map.flags.split(',').filter(Boolean);
  return null;
}

/** Why the map does not have `flag` in the wanted state, or undefined when it has. */
export function flagProblem(text: string, flag: string, set: boolean): string | undefined {
  const flags = parseOsdFlags(text);
  if (!flags) return 'cannot read the OSD map flags from ceph osd dump';
  if (flags.includes(flag) === set) return undefined;
  return `${flag} is ${set ? 'still not set' : 'still set'} (OSD map flags: ${flags.join(',') || 'none'})`;
}
