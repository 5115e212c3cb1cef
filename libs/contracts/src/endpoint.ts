import type { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One answer of an endpoint: its JSON body schema, or none (204), or an event stream. */
export interface ResponseContract {
  description: string;
  /** Absent: no body (204). */
  schema?: z.ZodType;
  /** `text/event-stream` answers are described, not validated. */
  contentType?: 'application/json' | 'text/event-stream';
  headers?: Record<string, string>;
  /**
   * The same status may also answer `text/csv` (asked for by the query, e.g. `format=csv`): its
   * description. Described, not validated, like event streams.
   */
  alsoCsv?: string;
}

/**
 * Everything a client needs to call one endpoint and everything the API may answer. The API
 * validates requests with these schemas; tests validate every answer against `responses[status]`.
 */
export interface EndpointContract {
  method: HttpMethod;
  /** OpenAPI form under /api/v1, e.g. `/nodes/{name}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: 'health' | 'nodes' | 'tasks' | 'job-kinds' | 'rollouts' | 'tokens' | 'desired' | 'alerts' | 'schedules' | 'windows' | 'certificates';
  /** No `Authorization` needed (only /health). */
  public?: boolean;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The body may be left out entirely (POST /rollouts/{id}/abort). */
  bodyOptional?: boolean;
  /** Request headers the endpoint reads, by name, with their description. */
  headers?: Record<string, string>;
  responses: Record<number, ResponseContract>;
}

/** Identity function that keeps the literal type, so `paths` and schemas stay precise. */
export function endpoint<const E extends EndpointContract>(e: E): E {
  return e;
}
