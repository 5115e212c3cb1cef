import type { PipeTransform } from '@nestjs/common';
import { parseOrThrow } from '@pvefleet/jobs';
import type { z } from 'zod';

/** Validates a body or query against one schema; errors name the field (`name`, `params.pool`, `query.limit`). */
export class ZodPipe<T> implements PipeTransform<unknown, T> {
  constructor(
    private readonly schema: z.ZodType<T>,
    private readonly prefix?: string,
  ) {}

  transform(value: unknown): T {
    return parseOrThrow(this.schema, value ?? {}, this.prefix);
  }
}
