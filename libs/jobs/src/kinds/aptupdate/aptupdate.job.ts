import { z } from 'zod';
import type { JobKindOf } from '../../job-kind';
import { fetchErrors } from '../aptrepos/verify-repos';

export const aptUpdateSpec = z.strictObject({});

/** Refreshes the package index, as Proxmox's own `aptupdate` task does. */
export const aptUpdateJob: JobKindOf<'aptupdate', typeof aptUpdateSpec> = {
  type: 'aptupdate',
  mutating: true,
  readBack: { by: 'plan', describe: "apt's own report of the refresh: no repository failed to fetch" },
  description: 'Refresh the package index (apt-get update)',
  spec: aptUpdateSpec,
  // Exactly Proxmox's command, so a failure reads the same: command 'apt-get update' failed: exit code 100.
  plan: () => ({
    steps: [
      {
        command: 'apt-get update',
        timeoutMs: 10 * 60_000,
        // apt can exit 0 and still have kept an old index for a repository it could not fetch ("Err:" lines).
        verify: (out) => {
          const errors = fetchErrors(out.stdout);
          return errors.length ? `apt-get update kept old indexes: ${errors.join('; ')}` : undefined;
        },
      },
    ],
  }),
};
