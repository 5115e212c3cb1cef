import { z } from 'zod';
import type { JobKind } from '../../job-kind';
import { TaskFailurePlaceholder } from '../placeholder';

// Placeholder: replaced by the real kind (spec, plan, finish) in its own commit.
export const haMaintenanceJob: JobKind<Record<string, never>> = {
  type: 'hamaintenance',
  mutating: true,
  description: 'hamaintenance (not implemented yet)',
  spec: z.strictObject({}),
  plan: () => {
    throw new TaskFailurePlaceholder('hamaintenance is not implemented yet');
  },
};
