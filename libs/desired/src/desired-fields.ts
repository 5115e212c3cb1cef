import type { AnyDesiredField } from './desired-field';

/**
 * Every desired-state field, in the order views list them. Each lives in `fields/<key>.field.ts`
 * and builds its schema from the catalog kind that enforces it.
 */
export const DESIRED_FIELDS: readonly AnyDesiredField[] = [];

export function desiredField(key: string): AnyDesiredField | undefined {
  return DESIRED_FIELDS.find((f) => f.key === key);
}
