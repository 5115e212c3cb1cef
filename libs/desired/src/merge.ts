import type { FieldMode } from './desired-field';
import { desiredField } from './desired-fields';
import { matchesSelector, type NodeSelector, type SelectableNode } from './selector';

export { matchesSelector, type NodeSelector, type SelectableNode } from './selector';

/** One declared field: the value (already parsed by the field's schema) and, optionally, its mode. */
export interface FieldEntry {
  value: unknown;
  mode?: FieldMode;
}
/** `profile.fields` / `node_override.fields` as stored: field key -> entry. */
export type FieldMap = Record<string, FieldEntry>;

/** A profile as merging needs it; `revision` is its current revision number. */
export interface ProfileDoc {
  name: string;
  priority: number;
  revision: number;
  selector: NodeSelector;
  fields: FieldMap;
}
/** A node's override as merging needs it. */
export interface OverrideDoc {
  revision: number;
  fields: FieldMap;
}

/** Where a merged field's value came from. */
export type FieldSource = { kind: 'profile'; name: string; revision: number } | { kind: 'override'; revision: number };

export interface MergedField {
  value: unknown;
  mode: FieldMode;
  source: FieldSource;
}

/**
 * The desired state of one node: for every field, the override's entry if it has one, else the entry
 * of the highest-priority profile whose selector matches the node. Equal priorities on one field are
 * refused when saved (see conflicts.ts); should one exist anyway (labels changed since), the profile
 * whose name sorts first wins, so the result never depends on the order profiles were read in.
 * The mode is the entry's, else the field's default (`enforce` for a key no field knows).
 * Keys come out sorted.
 */
export function mergeDesired(
  node: SelectableNode,
  profiles: readonly ProfileDoc[],
  override: OverrideDoc | null,
): Record<string, MergedField> {
  const merged = new Map<string, MergedField & { priority: number; name: string }>();
  for (const p of profiles) {
    if (!matchesSelector(node, p.selector)) continue;
    for (const [key, entry] of Object.entries(p.fields)) {
      const held = merged.get(key);
      if (held && (held.priority > p.priority || (held.priority === p.priority && held.name < p.name))) continue;
      merged.set(key, {
        value: entry.value,
        mode: modeOf(key, entry),
        source: { kind: 'profile', name: p.name, revision: p.revision },
        priority: p.priority,
        name: p.name,
      });
    }
  }
  const out: Record<string, MergedField> = {};
  const keys = new Set([...merged.keys(), ...Object.keys(override?.fields ?? {})]);
  for (const key of [...keys].sort()) {
    const own = override?.fields[key];
    if (override && own) {
      out[key] = { value: own.value, mode: modeOf(key, own), source: { kind: 'override', revision: override.revision } };
    } else {
      const m = merged.get(key);
      if (m) out[key] = { value: m.value, mode: m.mode, source: m.source };
    }
  }
  return out;
}

function modeOf(key: string, entry: FieldEntry): FieldMode {
  return entry.mode ?? desiredField(key)?.defaultMode ?? 'enforce';
}
