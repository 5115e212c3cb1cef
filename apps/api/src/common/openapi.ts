import type { ApiBodyOptions } from '@nestjs/swagger';
import { z } from 'zod';

type BodySchema = Extract<ApiBodyOptions, { schema?: unknown }>['schema'];

/** The OpenAPI form of a request schema, so /docs shows exactly what the validator accepts. */
export function openApiSchema(schema: z.ZodType): NonNullable<BodySchema> {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
  delete json.$schema;
  return json as NonNullable<BodySchema>;
}
