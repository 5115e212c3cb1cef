import { z } from 'zod';
import type { ResponseContract } from './endpoint';

/** The one error body every endpoint answers with (apps/api/src/common/error.filter.ts). */
export const errorBody = z
  .object({
    statusCode: z.number().int(),
    error: z.string(),
    message: z.string(),
    /** Each offending field, e.g. `params.pool`, `query.limit`, `body`. */
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'ErrorBody' });
export type ErrorBody = z.infer<typeof errorBody>;

const error = (description: string, headers?: Record<string, string>): ResponseContract => ({
  description,
  schema: errorBody,
  ...(headers ? { headers } : {}),
});

/** Error answers by status, to spread into an endpoint's responses. */
export const errors = {
  400: error('Invalid request: `errors` names each offending field'),
  401: error('Missing, invalid or revoked API token', { 'WWW-Authenticate': 'Bearer realm="pvefleet"' }),
  404: error('No such resource'),
  409: error('Conflicts with the current state'),
  413: error('Body larger than 64 KiB'),
  415: error('Body is not application/json'),
  429: error('Too many requests for this token, or too many failed logins from this address', {
    'Retry-After': 'Seconds to wait',
  }),
  503: error('Postgres is unavailable; retry shortly', { 'Retry-After': 'Seconds to wait' }),
} satisfies Record<number, ResponseContract>;

/** What every authenticated endpoint may answer besides its own outcomes. */
export const authErrors = { 401: errors[401], 429: errors[429], 503: errors[503] };
/** What every endpoint with a JSON body may answer besides its own outcomes. */
export const bodyErrors = { 400: errors[400], 413: errors[413], 415: errors[415] };

export const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** Proxmox's paging, as GET /tasks has it: `start` is 0-based. */
export const pagingQuery = {
  start: int(0, 10_000_000).default(0),
  limit: int(1, 1_000).default(50),
};

/** A page of a list: `total` counts every match, `data` holds at most `limit` of them from `start`. */
export const page = <T extends z.ZodType>(item: T) =>
  z.object({
    total: z.number().int(),
    start: z.number().int(),
    limit: z.number().int(),
    data: z.array(item),
  });

/** Timestamps are ISO 8601 strings in JSON. */
export const isoTime = z.string();
export const nullableTime = isoTime.nullable();

/** `?label=dc=fra&label=role=compute` (a single one arrives as a string): a list of `key=value`. */
export const repeatable = <T extends z.ZodType>(item: T) =>
  z
    .union([item, z.array(item)])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
