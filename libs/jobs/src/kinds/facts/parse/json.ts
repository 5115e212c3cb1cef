/** JSON.parse that answers undefined instead of throwing: fact parsers must be total. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** A JSON scalar as text (numbers and booleans as String() writes them); null for objects, arrays, null and a missing value. */
export function scalarText(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
}

/** pvesh and pvenode print integers, but a numeric string is accepted too. */
export function finiteNumber(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? n : null;
}
