import type { TestProject } from 'vitest/node';
import { deployMigrations } from '../../scripts/migrate.mjs';
import { createDatabase, dropDatabase, startPostgres, startRedis, type RunningService } from '../../scripts/lib/services.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
  }
}

/**
 * One private Postgres database (migrated) and one Redis for a whole test run, provided to the tests
 * as `databaseUrl` and `redisUrl`. DATABASE_URL / REDIS_URL name servers to use instead; even then
 * the run gets a database of its own. Returns the teardown.
 */
export async function provideRunServices(project: TestProject, tier: string): Promise<() => Promise<void>> {
  const owned: RunningService[] = [];
  const dbName = `pvefleet_${tier}_${process.pid}`;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const pg = await startPostgres();
    owned.push(pg);
    serverUrl = pg.url;
  }
  const databaseUrl = await createDatabase(serverUrl, dbName);
  await deployMigrations(databaseUrl);

  let redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    const redis = await startRedis();
    owned.push(redis);
    redisUrl = redis.url;
  }
  project.provide('databaseUrl', databaseUrl);
  project.provide('redisUrl', redisUrl);

  const server = serverUrl;
  return async () => {
    if (process.env.DATABASE_URL) {
      await dropDatabase(server, dbName).catch((err: unknown) => {
        console.warn(`could not drop the test database ${dbName}:`, err);
      });
    }
    for (const s of owned.reverse()) await s.stop();
  };
}
