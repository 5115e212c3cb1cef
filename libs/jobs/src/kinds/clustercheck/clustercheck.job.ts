import { z } from 'zod';
import type { JobKind } from '../../job-kind';
import { TaskFailurePlaceholder } from '../placeholder';

// Placeholder: replaced by the real kind (spec, plan, finish) in its own commit.
export const clusterCheckJob: JobKind<Record<string, never>> = {
  type: 'clustercheck',
  mutating: false,
  description: 'clustercheck (not implemented yet)',
  spec: z.strictObject({}),
  plan: () => {
    throw new TaskFailurePlaceholder('clustercheck is not implemented yet');
  },
};
