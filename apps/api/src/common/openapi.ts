import { z } from 'zod';

/** The JSON schema (OpenAPI 3.0 form) of a job kind's params, as GET /job-kinds shows it: what the validator accepts. */
export function openApiSchema(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}
