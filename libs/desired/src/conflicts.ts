import type { FieldMap } from './merge';
import { canMeet, type NodeSelector } from './selector';

/** What conflict checks need of a profile. */
export interface ProfileShape {
  name: string;
  priority: number;
  selector: NodeSelector;
  fields: FieldMap;
}

export interface ProfileConflict {
  /** The profile being saved. */
  profile: string;
  /** The stored profile it conflicts with. */
  other: string;
  field: string;
  priority: number;
}

/**
 * Why `candidate` cannot be saved beside `others`: for each other profile of the same priority whose
 * selector can meet the candidate's on some node, each field both set (merging could not tell which
 * wins). A profile never conflicts with its own stored version (same name). Sorted by other, field.
 */
export function profileConflicts(candidate: ProfileShape, others: readonly ProfileShape[]): ProfileConflict[] {
  const out: ProfileConflict[] = [];
  const keys = Object.keys(candidate.fields);
  for (const o of [...others].sort((a, b) => a.name.localeCompare(b.name))) {
    if (o.name === candidate.name || o.priority !== candidate.priority || !canMeet(candidate.selector, o.selector)) continue;
    for (const field of keys.filter((k) => k in o.fields).sort()) {
      out.push({ profile: candidate.name, other: o.name, field, priority: candidate.priority });
    }
  }
  return out;
}

/** e.g. "profiles 'fra' and 'base' both set field 'ntp' at priority 10 and can select the same node". */
export function describeConflict(c: ProfileConflict): string {
  return `profiles '${c.profile}' and '${c.other}' both set field '${c.field}' at priority ${c.priority} and can select the same node`;
}
