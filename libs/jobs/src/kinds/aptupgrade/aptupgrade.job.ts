import { z } from 'zod';
import type { JobKind } from '../../job-kind';
import { TaskFailurePlaceholder } from '../placeholder';

// Placeholder: replaced by the real kind (spec, plan, finish) in its own commit.
export const aptUpgradeJob: JobKind<Record<string, never>> = {
  type: 'aptupgrade',
  mutating: true,
  usesFacts: true,
  description: 'aptupgrade (not implemented yet)',
  spec: z.strictObject({}),
  plan: () => {
    throw new TaskFailurePlaceholder('aptupgrade is not implemented yet');
  },
};
