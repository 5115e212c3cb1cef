import type { ErrorClass } from '@pvefleet/errors';
import type { z } from 'zod';

export interface FieldError {
  field: string;
  message: string;
}

/** Input that fails validation; names every offending field (e.g. `params.servers.0`). */
export class SpecError extends Error {
  override readonly name = 'SpecError';
  /** The same input fails the same way again. */
  readonly errorClass: ErrorClass = 'permanent';
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  }

  static fromZod(error: z.ZodError, prefix?: string): SpecError {
    return new SpecError(
      error.issues
        .map((issue) => {
          const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
          return keys.map((key) => ({
            field: [prefix, ...issue.path.map(String), key].filter((p) => p !== undefined && p !== '').join('.') || (prefix ?? 'body'),
            message: issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message,
          }));
        })
        .flat(),
    );
  }
}

/** Parses `value` or throws a SpecError whose fields start with `prefix`. */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, prefix?: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw SpecError.fromZod(r.error, prefix);
  return r.data;
}
