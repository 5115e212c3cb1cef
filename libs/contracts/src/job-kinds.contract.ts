import { z } from 'zod';
import { authErrors } from './common';
import { endpoint } from './endpoint';

export const jobKindSchema = z
  .strictObject({
    type: z.string(),
    description: z.string(),
    mutating: z.boolean(),
    /** The JSON schema (OpenAPI 3.0 form) of the kind's params, as the API validates them. */
    params: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'JobKind' });

export const jobKindEndpoints = [
  endpoint({
    method: 'get',
    path: '/job-kinds',
    operationId: 'listJobKinds',
    summary: 'Every task type with what it does and the JSON schema of its params',
    tag: 'job-kinds',
    responses: { 200: { description: 'Every kind', schema: z.array(jobKindSchema) }, ...authErrors },
  }),
] as const;
