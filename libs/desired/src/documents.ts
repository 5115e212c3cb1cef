import { z } from 'zod';
import type { FieldMode } from './desired-field';
import { DESIRED_FIELDS } from './desired-fields';

export const FIELD_MODES = ['enforce', 'report'] as const satisfies readonly FieldMode[];
export const fieldModeSchema = z.enum(FIELD_MODES);

/**
 * A document's `fields`: each key one of DESIRED_FIELDS, its `value` parsed by that field's schema
 * (so errors name `fields.<key>.value.<path>` with the catalog kind's own message), `mode` optional
 * (the field's default then). An unknown key is refused as `fields.<key>: unknown field`.
 */
export const desiredFieldsSchema = buildFieldsSchema();

function buildFieldsSchema() {
  const shape = Object.fromEntries(
    DESIRED_FIELDS.map((f) => [f.key, z.strictObject({ value: f.schema, mode: fieldModeSchema.optional() }).optional()]),
  );
  return z.strictObject(shape).transform((fields) => {
    // Typed as the stored FieldMap: each present key with its parsed entry.
    const out: Record<string, { value: unknown; mode?: FieldMode }> = {};
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
    return out;
  });
}

/** Profile names: a letter or digit first, then letters, digits, `.`, `_`, `-` (used in URLs). */
export const profileName = z
  .string()
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be a profile name: a letter or digit, then letters, digits, ., _ or -');

/** Which profile wins a field: the higher. Equal priorities on one field and one node are refused. */
export const profilePriority = z.number().int('must be an integer').min(-1000, 'must be -1000..1000').max(1000, 'must be -1000..1000');
