import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { provideRunServices } from './run-services';

/** The e2e run: the built apps must exist; one private Postgres database and Redis for all of it. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!existsSync('dist/apps/api/apps/api/src/main.js') || !existsSync('dist/apps/worker/apps/worker/src/main.js')) {
    throw new Error('e2e tests run the built apps: run `npm run build` first (npm test does)');
  }
  return provideRunServices(project, 'test');
}
