import { z } from 'zod';
import type { JobKind } from '../../job-kind';
import { TaskFailurePlaceholder } from '../placeholder';

// Placeholder: replaced by the real kind (spec, plan, finish) in its own commit.
export const pve8to9Job: JobKind<Record<string, never>> = {
  type: 'pve8to9',
  mutating: false,
  description: 'pve8to9 (not implemented yet)',
  spec: z.strictObject({}),
  plan: () => {
    throw new TaskFailurePlaceholder('pve8to9 is not implemented yet');
  },
};
