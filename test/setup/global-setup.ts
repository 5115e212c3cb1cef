import { existsSync } from 'node:fs';
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
 * One private Postgres database and one Redis for the whole e2e run. DATABASE_URL / REDIS_URL name
 * servers to use instead; even then the tests get a database of their own and their own key prefixes.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!existsSync('dist/apps/api/apps/api/src/main.js') || !existsSync('dist/apps/worker/apps/worker/src/main.js')) {
    throw new Error('e2e tests run the built apps: run `npm run build` first (npm test does)');
  }
  const owned: RunningService[] = [];
  const dbName = `pvefleet_test_${process.pid}`;
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

  return async () => {
    if (process.env.DATABASE_URL) await dropDatabase(serverUrl, dbName).catch(() => {});
    for (const s of owned.reverse()) await s.stop();
  };
}
