import { z } from 'zod';
import { endpoint } from './endpoint';

const probe = z.object({ status: z.enum(['up', 'down']), latencyMs: z.number(), error: z.string().optional() });
export const healthBody = z.object({ status: z.enum(['ok', 'degraded']), postgres: probe, redis: probe });

export const healthEndpoints = [
  endpoint({
    method: 'get',
    path: '/health',
    operationId: 'getHealth',
    summary: 'Postgres and Redis reachability (no token needed); 503 when either is down',
    tag: 'health',
    public: true,
    responses: {
      200: { description: 'Both are up', schema: healthBody },
      503: { description: 'Postgres or Redis is down (named)', schema: healthBody },
    },
  }),
] as const;
