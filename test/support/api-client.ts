import { API_PREFIX, createApiClient, errorBody, matchEndpoint, type ApiClient, type ErrorBody } from '@pvefleet/contracts';
import type { Middleware } from 'openapi-fetch';

/** An answer the contract does not allow: wrong status for the endpoint, or a body outside its schema. */
export class ContractViolation extends Error {}

/**
 * Checks every answer against the contract of its endpoint and status (libs/contracts), so a test
 * using this client fails as soon as the API answers outside its contract, whatever the test asserts.
 */
export const contractCheck: Middleware = {
  async onResponse({ request, response }) {
    const path = new URL(request.url).pathname;
    const where = `${request.method} ${path} answered ${response.status}`;
    const endpoint = path.startsWith(API_PREFIX) ? matchEndpoint(request.method, path.slice(API_PREFIX.length)) : undefined;
    if (!endpoint) throw new ContractViolation(`${where}: no contract for this route`);
    const contract = Object.hasOwn(endpoint.responses, response.status) ? endpoint.responses[response.status] : undefined;
    if (contract === undefined) throw new ContractViolation(`${where}: the contract of ${endpoint.operationId} has no ${response.status}`);
    if (contract.contentType === 'text/event-stream') return undefined;
    if (contract.alsoCsv && response.headers.get('content-type')?.startsWith('text/csv')) return undefined;
    if (!contract.schema) {
      const text = await response.clone().text();
      if (text !== '') throw new ContractViolation(`${where}: expected no body, got ${text.slice(0, 200)}`);
      return undefined;
    }
    const body: unknown = await response.clone().json();
    const parsed = contract.schema.safeParse(body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
      throw new ContractViolation(
        `${where}: body outside the contract of ${endpoint.operationId}: ${issues}\n${JSON.stringify(body).slice(0, 500)}`,
      );
    }
    return undefined;
  },
};

/** The typed API client for tests, authenticated with `token`, checking every answer against its contract. */
export function apiClient(stack: { url: string; token: string }, token: string = stack.token): ApiClient {
  return createApiClient(stack.url, token, { middleware: [contractCheck] });
}

/** The error body of a raw (supertest) answer, checked against the contract's one error shape. */
export function errorBodyOf(res: { body: unknown }): ErrorBody {
  return errorBody.parse(res.body);
}

/** The fields a raw 4xx answer names (`errors[].field`), in order; empty when it names none. */
export function errorFields(res: { body: unknown }): string[] {
  return (errorBodyOf(res).errors ?? []).map((e) => e.field);
}
