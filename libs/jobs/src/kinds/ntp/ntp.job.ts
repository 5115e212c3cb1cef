import { z } from 'zod';
import type { JobKind } from '../../job-kind';
import { TaskFailurePlaceholder } from '../placeholder';

// Placeholder: replaced by the real kind (spec, plan, finish) in its own commit.
export const ntpJob: JobKind<Record<string, never>> = {
  type: 'ntp',
  mutating: true,
  usesFacts: true,
  description: 'ntp (not implemented yet)',
  spec: z.strictObject({}),
  plan: () => {
    throw new TaskFailurePlaceholder('ntp is not implemented yet');
  },
};
