import { z } from 'zod';
import type { JobKind } from '../../job-kind';
import { TaskFailurePlaceholder } from '../placeholder';

// Placeholder: replaced by the real kind (spec, plan, finish) in its own commit.
export const nodeHealthJob: JobKind<Record<string, never>> = {
  type: 'nodehealth',
  mutating: false,
  description: 'nodehealth (not implemented yet)',
  spec: z.strictObject({}),
  plan: () => {
    throw new TaskFailurePlaceholder('nodehealth is not implemented yet');
  },
};
