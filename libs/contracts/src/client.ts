import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths } from '../generated/openapi';

export type { paths } from '../generated/openapi';
export type ApiClient = Client<paths>;

export interface ApiClientOptions {
  /** Run on every request and answer (e.g. a test's check of each answer against its contract). */
  middleware?: Middleware[];
  /** Another fetch (default: the global one). */
  fetch?: typeof globalThis.fetch;
}

/**
 * A typed client of the API: paths, parameters, bodies and answers are checked at compile time
 * against the OpenAPI document the contracts produce. `baseUrl` is the server (e.g.
 * `http://127.0.0.1:8080`); paths include `/api/v1`. `token` is an API token (`pvf_…`).
 */
export function createApiClient(baseUrl: string, token?: string, options: ApiClientOptions = {}): ApiClient {
  const client = createClient<paths>({
    baseUrl,
    ...(token ? { headers: { Authorization: `Bearer ${token}` } } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  for (const m of options.middleware ?? []) client.use(m);
  return client;
}
