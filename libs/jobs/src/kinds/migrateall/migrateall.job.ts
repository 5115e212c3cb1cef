import { z } from 'zod';
import type { JobKind } from '../../job-kind';
import { TaskFailurePlaceholder } from '../placeholder';

// Placeholder: replaced by the real kind (spec, plan, finish) in its own commit.
export const migrateAllJob: JobKind<Record<string, never>> = {
  type: 'migrateall',
  mutating: true,
  description: 'migrateall (not implemented yet)',
  spec: z.strictObject({}),
  plan: () => {
    throw new TaskFailurePlaceholder('migrateall is not implemented yet');
  },
};
