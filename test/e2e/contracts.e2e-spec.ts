import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { RequestMethod, type Type } from '@nestjs/common';
import { API_PREFIX, buildOpenApiDocument, endpointKey, ENDPOINTS } from '@pvefleet/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiModule } from '../../apps/api/src/api.module';
import { apiClient, ContractViolation } from '../support/api-client';
import { Stack } from '../support/stack';
import { stopAll } from '../support/teardown';

/** `nodes/:name/tasks` → `/nodes/{name}/tasks` (the contracts' form). */
const openApiPath = (...parts: string[]) =>
  `/${parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .map((s) => (s.startsWith(':') ? `{${s.slice(1)}}` : s))
    .join('/')}`;

/**
 * Every route the API registers, read from the same decorator metadata Nest's router builds its
 * routes from: each controller of ApiModule, each handler with a method and a path.
 */
function registeredRoutes(): string[] {
  const controllers = (Reflect.getMetadata('controllers', ApiModule) ?? []) as Type[];
  expect(controllers.length).toBeGreaterThan(0);
  return controllers.flatMap((controller) => {
    const base = (Reflect.getMetadata(PATH_METADATA, controller) ?? '') as string;
    const proto = controller.prototype as Record<string, unknown>;
    return Object.getOwnPropertyNames(proto).flatMap((name) => {
      const handler = proto[name];
      if (typeof handler !== 'function' || name === 'constructor') return [];
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      if (method === undefined || path === undefined) return [];
      return [endpointKey(RequestMethod[method], openApiPath(base, path))];
    });
  });
}

describe('contracts: every route has one, every one has a route', () => {
  it('the registered routes and the contracts are the same set', () => {
    const routes = registeredRoutes().sort();
    const contracts = ENDPOINTS.map((e) => endpointKey(e.method, e.path)).sort();
    expect(
      routes.filter((r) => !contracts.includes(r)),
      'routes without a contract',
    ).toEqual([]);
    expect(
      contracts.filter((c) => !routes.includes(c)),
      'contracts without a route',
    ).toEqual([]);
    expect(new Set(contracts).size).toBe(contracts.length);
  });

  it('every endpoint names its operation once and every authenticated one answers 401 and 429', () => {
    const ids = ENDPOINTS.map((e) => e.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of ENDPOINTS.filter((x) => !x.public)) {
      expect(Object.keys(e.responses), e.operationId).toEqual(expect.arrayContaining(['401', '429']));
    }
  });
});

interface OpenApiDoc {
  components: { securitySchemes: unknown };
  paths: Record<string, Record<string, { responses: Record<string, unknown>; parameters: { name: string }[] }>>;
}

describe('contracts: the running API', () => {
  let started: Stack | undefined;
  const stack = (): Stack => {
    if (!started) throw new Error('the stack did not start');
    return started;
  };
  beforeAll(async () => {
    started = await Stack.start({ workers: 0 });
  });
  afterAll(async () => {
    await stopAll(started);
  });

  it('serves the contracts as its OpenAPI document, bearer token not JWT, real status codes, every query parameter', async () => {
    const res = await stack().http.raw.get('/docs-json');
    expect(res.status).toBe(200);
    const doc = res.body as OpenApiDoc;
    expect(doc).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())));
    expect(doc.components.securitySchemes).toEqual({ apiToken: expect.objectContaining({ type: 'http', scheme: 'bearer' }) as unknown });
    expect(JSON.stringify(doc)).not.toContain('bearerFormat');
    expect(Object.keys(doc.paths[`${API_PREFIX}/nodes/{name}/tasks`].post.responses)).toEqual(
      expect.arrayContaining(['200', '202', '400', '401', '404', '409', '413', '415', '429', '503']),
    );
    const taskQuery = doc.paths[`${API_PREFIX}/tasks`].get.parameters.map((p) => p.name);
    expect(taskQuery).toEqual(expect.arrayContaining(['node', 'type', 'status', 'user', 'since', 'until', 'errors', 'start', 'limit']));
    const nodeQuery = doc.paths[`${API_PREFIX}/nodes`].get.parameters.map((p) => p.name);
    expect(nodeQuery).toEqual(expect.arrayContaining(['label', 'cluster', 'q', 'facts', 'start', 'limit']));
  });

  it('the typed client checks answers: inside the contract they pass, an unknown route fails', async () => {
    const api = apiClient(stack());
    const health = await api.GET('/api/v1/health');
    expect(health.data).toMatchObject({ status: 'ok' });
    const missing = await api.GET('/api/v1/tasks/{upid}', {
      params: { path: { upid: 'UPID:pve1:0000AAAA:00000001:00000001:facts::root@pam:' } },
    });
    expect(missing.response.status).toBe(404);
    expect(missing.error).toMatchObject({ message: expect.stringMatching(/does not exist/) as unknown });
    const denied = await apiClient(stack(), 'not-a-valid-token-xxxxxxxxxx').GET('/api/v1/nodes');
    expect(denied.response.status).toBe(401);
    await expect(fetchThroughContract(stack(), '/api/v1/no-such-route')).rejects.toThrow(ContractViolation);
  });
});

/** A request the typed paths do not allow, sent through the same checking middleware. */
async function fetchThroughContract(stack: Stack, path: string): Promise<unknown> {
  const api = apiClient(stack) as unknown as { GET: (p: string) => Promise<unknown> };
  return api.GET(path);
}
