import { Controller, Get, Inject, Res } from '@nestjs/common';
import { PgPool } from '@pvefleet/db';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import { Public } from '../auth/identity';
import { API_REDIS } from '../api.tokens';

async function probe(check: () => Promise<unknown>): Promise<{ status: 'up' | 'down'; latencyMs: number; error?: string }> {
  const t0 = performance.now();
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        setTimeout(() => {
          reject(new Error('timed out after 2 s'));
        }, 2_000);
      }),
    ]);
    return { status: 'up', latencyMs: Math.round((performance.now() - t0) * 10) / 10 };
  } catch (err) {
    return { status: 'down', latencyMs: Math.round(performance.now() - t0), error: (err as Error).message };
  }
}

/** Contract: libs/contracts/src/health.contract.ts. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly pool: PgPool,
    @Inject(API_REDIS) private readonly redis: Redis,
  ) {}

  @Public()
  @Get()
  async health(@Res({ passthrough: true }) res: Response) {
    const [postgres, redis] = await Promise.all([probe(() => this.pool.query('SELECT 1')), probe(() => this.redis.ping())]);
    const ok = postgres.status === 'up' && redis.status === 'up';
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'degraded', postgres, redis };
  }
}
