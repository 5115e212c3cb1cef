import { z } from 'zod';
import type { JobKind } from '../../job-kind';
import { TaskFailurePlaceholder } from '../placeholder';

// Placeholder: replaced by the real kind (spec, plan, finish) in its own commit.
export const aptReposJob: JobKind<Record<string, never>> = {
  type: 'aptrepos',
  mutating: true,
  usesFacts: true,
  description: 'aptrepos (not implemented yet)',
  spec: z.strictObject({}),
  plan: () => {
    throw new TaskFailurePlaceholder('aptrepos is not implemented yet');
  },
};
