import { z } from 'zod';
import type { JobKind } from '../../job-kind';

export const aptUpdateSpec = z.strictObject({});

/** Refreshes the package index, as Proxmox's own `aptupdate` task does. */
export const aptUpdateJob: JobKind<z.infer<typeof aptUpdateSpec>> = {
  type: 'aptupdate',
  mutating: true,
  description: 'Refresh the package index (apt-get update)',
  spec: aptUpdateSpec,
  // Exactly Proxmox's command, so a failure reads the same: command 'apt-get update' failed: exit code 100.
  plan: () => ({ steps: [{ command: 'apt-get update', timeoutMs: 10 * 60_000 }] }),
};
