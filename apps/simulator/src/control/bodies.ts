import type { Disk } from '../model/disks';
import type { CommandFaultAction, CommandFaultSpec } from '../faults/types';

/**
 * Readers for the fields of a control request's JSON body. The body comes from outside, so each field is
 * narrowed here; a field of the wrong type is a 400 (the handler's thrown Error), not a silently odd fault.
 */
export type Body = Record<string, unknown>;

const isObject = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string field, or `fallback` (default '') when absent or not a string. */
export const str = (v: unknown, fallback?: string): string => (typeof v === 'string' ? v : (fallback ?? ''));

export function optString(v: unknown, field: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new Error(`${field} must be a string`);
  return v;
}

export function optNumber(v: unknown, field: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number') throw new Error(`${field} must be a number`);
  return v;
}

export function optStrings(v: unknown, field: string): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every((x): x is string => typeof x === 'string')) throw new Error(`${field} must be a list of strings`);
  return v;
}

/** A string field that must be one of `allowed`; `fallback` when absent. */
export function oneOf<T extends string>(v: unknown, allowed: readonly T[], field: string, fallback: T): T {
  if (v === undefined) return fallback;
  const found = allowed.find((a) => a === v);
  if (found === undefined) throw new Error(`${field} must be one of ${allowed.join(', ')}`);
  return found;
}

/** `{match, action, times?}`: match is a substring or `{regex, flags?}`; action one of the fault kinds. */
export function commandFaultSpec(b: Body): CommandFaultSpec {
  return { match: faultMatch(b.match), action: faultAction(b.action), times: optNumber(b.times, 'times') };
}

function faultMatch(v: unknown): CommandFaultSpec['match'] {
  if (typeof v === 'string') return v;
  if (isObject(v) && typeof v.regex === 'string') return { regex: v.regex, flags: optString(v.flags, 'match.flags') };
  throw new Error('match must be a string or {regex, flags?}');
}

function faultAction(v: unknown): CommandFaultAction {
  if (!isObject(v)) throw new Error('action must be an object');
  switch (v.kind) {
    case 'fail': {
      const exitCode = optNumber(v.exitCode, 'action.exitCode');
      if (exitCode === undefined) throw new Error('action.exitCode is required for a fail');
      return { kind: 'fail', exitCode, stderr: optString(v.stderr, 'action.stderr'), stdout: optString(v.stdout, 'action.stdout') };
    }
    case 'slow': {
      const lineDelayMs = optNumber(v.lineDelayMs, 'action.lineDelayMs');
      if (lineDelayMs === undefined) throw new Error('action.lineDelayMs is required for a slow');
      return { kind: 'slow', lineDelayMs };
    }
    case 'hang':
    case 'drop':
      return { kind: v.kind };
    default:
      throw new Error('action.kind must be one of fail, hang, slow, drop');
  }
}

/** `{fstype?, foreignPool?}`; null (or absent) clears each. */
export function diskState(b: Body): { fstype?: string | null; foreignPool?: Disk['foreignPool'] | null } {
  const fstype = b.fstype === null ? null : optString(b.fstype, 'fstype');
  return { fstype, foreignPool: foreignPool(b.foreignPool) };
}

function foreignPool(v: unknown): Disk['foreignPool'] | null {
  if (v === undefined || v === null) return null;
  if (isObject(v) && typeof v.name === 'string' && (v.state === 'exported' || v.state === 'active'))
    return { name: v.name, state: v.state };
  throw new Error("foreignPool must be {name, state: 'exported' | 'active'}");
}
