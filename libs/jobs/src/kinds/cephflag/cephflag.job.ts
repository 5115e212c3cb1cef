import { z } from 'zod';
import type { JobKind } from '../../job-kind';
import { TaskFailurePlaceholder } from '../placeholder';

// Placeholder: replaced by the real kind (spec, plan, finish) in its own commit.
export const cephFlagJob: JobKind<Record<string, never>> = {
  type: 'cephflag',
  mutating: true,
  description: 'cephflag (not implemented yet)',
  spec: z.strictObject({}),
  plan: () => {
    throw new TaskFailurePlaceholder('cephflag is not implemented yet');
  },
};
