import { z } from 'zod';
import type { JobKind } from '../../job-kind';
import { TaskFailurePlaceholder } from '../placeholder';

// Placeholder: replaced by the real kind (spec, plan, finish) in its own commit.
export const acmeRenewJob: JobKind<Record<string, never>> = {
  type: 'acmerenew',
  mutating: true,
  usesFacts: true,
  description: 'acmerenew (not implemented yet)',
  spec: z.strictObject({}),
  plan: () => {
    throw new TaskFailurePlaceholder('acmerenew is not implemented yet');
  },
};
