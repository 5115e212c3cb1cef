import { OpenAPIRegistry, OpenApiGeneratorV3, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { API_PREFIX, ENDPOINTS } from './endpoints';
import type { EndpointContract, ResponseContract } from './endpoint';

export const BEARER_AUTH = 'apiToken';

/** The OpenAPI 3.0 document of the API, from the contracts alone (no running app needed). */
export function buildOpenApiDocument(): ReturnType<OpenApiGeneratorV3['generateDocument']> {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', BEARER_AUTH, {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token (`pvf_…`, from POST /tokens or the first start), sent as `Authorization: Bearer <token>`. Not a JWT.',
  });
  for (const e of ENDPOINTS) registry.registerPath(routeOf(e));
  return new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: {
      title: 'pvefleet',
      version: '1',
      description: 'Orchestration for fleets of Proxmox VE nodes: nodes, tasks (Proxmox UPIDs) and their logs, rollouts, tokens.',
    },
  });
}

function routeOf(e: EndpointContract): RouteConfig {
  const responses: RouteConfig['responses'] = {};
  for (const [status, r] of Object.entries(e.responses)) responses[status] = responseOf(r);
  return {
    method: e.method,
    path: API_PREFIX + e.path,
    operationId: e.operationId,
    summary: e.summary,
    ...(e.description ? { description: e.description } : {}),
    tags: [e.tag],
    security: e.public ? [] : [{ [BEARER_AUTH]: [] }],
    request: {
      ...(e.params ? { params: e.params } : {}),
      ...(e.query ? { query: e.query } : {}),
      ...(e.body ? { body: { required: !e.bodyOptional, content: { 'application/json': { schema: e.body } } } } : {}),
    },
    ...(e.headers
      ? {
          parameters: Object.entries(e.headers).map(([name, description]) => ({
            in: 'header' as const,
            name,
            required: false,
            description,
            schema: { type: 'string' as const },
          })),
        }
      : {}),
    responses,
  };
}

function responseOf(r: ResponseContract): RouteConfig['responses'][string] {
  const headers = r.headers
    ? Object.fromEntries(
        Object.entries(r.headers).map(([name, description]) => [name, { description, schema: { type: 'string' as const } }]),
      )
    : undefined;
  if (r.contentType === 'text/event-stream') {
    return { description: r.description, content: { 'text/event-stream': { schema: { type: 'string' } } } };
  }
  return {
    description: r.description,
    ...(headers ? { headers } : {}),
    ...(r.schema
      ? {
          content: {
            'application/json': { schema: r.schema },
            ...(r.alsoCsv ? { 'text/csv': { schema: { type: 'string' as const, description: r.alsoCsv } } } : {}),
          },
        }
      : {}),
  };
}
