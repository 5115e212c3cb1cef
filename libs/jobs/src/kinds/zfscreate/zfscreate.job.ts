import { z } from 'zod';
import type { JobKind } from '../../job-kind';
import { TaskFailurePlaceholder } from '../placeholder';

// Placeholder: replaced by the real kind (spec, plan, finish) in its own commit.
export const zfsCreateJob: JobKind<Record<string, never>> = {
  type: 'zfscreate',
  mutating: true,
  usesFacts: true,
  description: 'zfscreate (not implemented yet)',
  spec: z.strictObject({}),
  plan: () => {
    throw new TaskFailurePlaceholder('zfscreate is not implemented yet');
  },
};
