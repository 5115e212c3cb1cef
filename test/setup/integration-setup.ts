import type { TestProject } from 'vitest/node';
import { provideRunServices } from './run-services';

/** The integration run: real Postgres and Redis of its own, nothing built. */
export default function setup(project: TestProject): Promise<() => Promise<void>> {
  return provideRunServices(project, 'int');
}
