import { z } from 'zod';
import type { JobKind } from '../../job-kind';
import { TaskFailurePlaceholder } from '../placeholder';

// Placeholder: replaced by the real kind (spec, plan, finish) in its own commit.
export const acmeNewCertJob: JobKind<Record<string, never>> = {
  type: 'acmenewcert',
  mutating: true,
  usesFacts: true,
  description: 'acmenewcert (not implemented yet)',
  spec: z.strictObject({}),
  plan: () => {
    throw new TaskFailurePlaceholder('acmenewcert is not implemented yet');
  },
};
