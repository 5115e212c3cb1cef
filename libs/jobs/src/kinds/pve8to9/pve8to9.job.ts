import { z } from 'zod';
import type { JobKindOf } from '../../job-kind';
import { parsePve8to9, pve8to9Problem } from './pve8to9-report';

export const pve8to9Spec = z.strictObject({});
export type Pve8to9Spec = z.infer<typeof pve8to9Spec>;

/**
 * Proxmox's upgrade checklist, run before a major upgrade (8 → 9). It changes nothing and always
 * exits 0, so the task reads the summary: failures fail it, warnings become task warnings.
 */
export const pve8to9Job: JobKindOf<'pve8to9', typeof pve8to9Spec> = {
  type: 'pve8to9',
  mutating: false,
  description: 'Run the PVE 8 to 9 upgrade checklist (pve8to9 --full); fails on FAILURES > 0',
  spec: pve8to9Spec,
  plan: () => ({
    notes: ['pve8to9 exits 0 whatever it finds: its FAILURES count decides'],
    steps: [
      {
        command: 'pve8to9 --full',
        description: 'run the upgrade checklist (read-only)',
        capture: 'checklist',
        timeoutMs: 10 * 60_000,
        verify: (out) => pve8to9Problem(out.stdout),
      },
    ],
  }),
  finish: (_spec, outputs) => {
    const report = parsePve8to9(outputs.checklist?.stdout ?? '');
    if (!report) return {};
    return { result: { ...report }, warnings: report.warnLines.map((w) => `pve8to9: ${w}`) };
  },
};
