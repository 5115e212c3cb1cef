import { randomBytes } from 'node:crypto';
import { Global, Module, type DynamicModule, type Type } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { APP_CONFIG, CLOCK, loadConfig, systemClock, type AppConfig } from '@pvefleet/config';
import { DbModule } from '@pvefleet/db';
import { TASK_REDIS } from '@pvefleet/tasks';
import { Redis } from 'ioredis';
import { inject } from 'vitest';

/**
 * A lib's Nest modules composed as an app composes them, on the run's Postgres and Redis: the
 * configuration and the Redis connection an app would provide globally, a Redis prefix of its own.
 */
export async function composeModules(
  ...modules: (Type | DynamicModule)[]
): Promise<{ app: TestingModule; config: AppConfig; redis: Redis }> {
  const config = loadConfig({
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: inject('redisUrl'),
    PVEFLEET_REDIS_PREFIX: `pvefleet-int-${randomBytes(4).toString('hex')}`,
    PVEFLEET_MASTER_KEY: randomBytes(32).toString('base64'),
    PVEFLEET_DB_POOL_SIZE: '4',
  });
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });

  @Global()
  @Module({
    providers: [
      { provide: APP_CONFIG, useValue: config },
      { provide: TASK_REDIS, useValue: redis },
      { provide: CLOCK, useValue: systemClock },
    ],
    exports: [APP_CONFIG, TASK_REDIS, CLOCK],
  })
  class AppProvidedModule {}

  const app = await Test.createTestingModule({ imports: [AppProvidedModule, DbModule, ...modules] }).compile();
  await app.init();
  return { app, config, redis };
}
