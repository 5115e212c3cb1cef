import { certificateEndpoints } from './certificates.contract';
import { alertEndpoints } from './alerts.contract';
import { desiredEndpoints } from './desired.contract';
import { driftEndpoints } from './drift.contract';
import type { EndpointContract } from './endpoint';
import { healthEndpoints } from './health.contract';
import { jobKindEndpoints } from './job-kinds.contract';
import { nodeEndpoints } from './nodes.contract';
import { rolloutEndpoints } from './rollouts.contract';
import { scheduleEndpoints } from './schedules.contract';
import { taskEndpoints } from './tasks.contract';
import { tokenEndpoints } from './tokens.contract';
import { windowEndpoints } from './windows.contract';

/** Where every path below is mounted. */
export const API_PREFIX = '/api/v1';

/** Every endpoint of the API. The contract test fails when a route has none or one has no route. */
export const ENDPOINTS: readonly EndpointContract[] = [
  ...healthEndpoints,
  ...nodeEndpoints,
  ...taskEndpoints,
  ...jobKindEndpoints,
  ...rolloutEndpoints,
  ...tokenEndpoints,
  ...desiredEndpoints,
  ...driftEndpoints,
  ...alertEndpoints,
  ...scheduleEndpoints,
  ...windowEndpoints,
  ...certificateEndpoints,
];

/** `GET /nodes/{name}` */
export const endpointKey = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

const byKey = new Map(ENDPOINTS.map((e) => [endpointKey(e.method, e.path), e]));

export function findEndpoint(method: string, path: string): EndpointContract | undefined {
  return byKey.get(endpointKey(method, path));
}

/** The endpoint a concrete URL path (under API_PREFIX, no query) belongs to, matching `{param}` segments. */
export function matchEndpoint(method: string, urlPath: string): EndpointContract | undefined {
  const segments = urlPath.split('/');
  return ENDPOINTS.find((e) => {
    if (e.method !== method.toLowerCase()) return false;
    const pattern = e.path.split('/');
    return pattern.length === segments.length && pattern.every((p, i) => p.startsWith('{') || p === segments[i]);
  });
}
