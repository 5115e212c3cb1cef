import { z } from 'zod';
import { nodeName } from '../../formats';
import type { JobKindOf } from '../../job-kind';
import { shellQuote } from '../../shell-quote';
import { SpecError } from '../../spec-error';
import { MAX_WAIT_SECONDS, retryUntilClear, verifyClear } from '../clustercheck/retry-until-clear';
import { parseGuestLists, stillRunningHere } from './guest-list';

export const migrateAllSpec = z.strictObject({
  target: nodeName,
  maxWorkers: z.number().int('must be an integer').min(1, 'must be 1-64').max(64, 'must be 1-64').default(1),
  withLocalDisks: z.boolean().optional(),
  /** How long the migrations may take, and then how long to wait for the guests to be gone. */
  waitSeconds: z.number().int('must be an integer').min(1).max(MAX_WAIT_SECONDS).default(600),
});
export type MigrateAllSpec = z.infer<typeof migrateAllSpec>;

const GUEST_LISTS = 'qm list && pct list';

/** A guest that still runs here stops the rollout at this node, before anything is upgraded. */
const stillRunning = stillRunningHere('the node was not upgraded');

/**
 * Moves every guest off this node (Proxmox's `migrateall` task, pve-commands §3.1), then reads the
 * guest lists until none runs here. `pvenode migrateall` exits 0 even when a guest fails to migrate
 * (it does not wait on the per-guest task results), so only the lists tell whether they left.
 */
export const migrateAllJob: JobKindOf<'migrateall', typeof migrateAllSpec> = {
  type: 'migrateall',
  mutating: true,
  readBack: { by: 'plan', describe: 'the guest lists are read until no guest runs on the node' },
  description: 'Migrate all guests to a target node (pvenode migrateall) and wait until none runs here',
  spec: migrateAllSpec,
  objectId: (spec) => spec.target,
  plan: (spec, facts) => {
    if (facts?.hostname && facts.hostname === spec.target) {
      throw new SpecError([{ field: 'params.target', message: `is this node (${spec.target}); migrate to another cluster member` }]);
    }
    const flags = [`--max-workers ${spec.maxWorkers}`, ...(spec.withLocalDisks ? ['--with-local-disks 1'] : [])];
    return {
      notes: [
        `moving every guest (HA-managed ones included) to ${spec.target}, ${spec.maxWorkers} at a time; stopped guests move offline`,
        `then waiting up to ${spec.waitSeconds} s until no guest runs on this node`,
      ],
      steps: [
        { command: GUEST_LISTS, description: 'list the guests on this node', capture: 'before', timeoutMs: 60_000 },
        {
          command: `pvenode migrateall ${shellQuote(spec.target)} ${flags.join(' ')}`,
          description: `migrate all guests to ${spec.target}`,
          timeoutMs: spec.waitSeconds * 1000,
          when: { describe: 'guests are on this node', holds: (o) => parseGuestLists(o.before?.stdout ?? '').length > 0 },
        },
        {
          command: GUEST_LISTS,
          description: 'wait until no guest runs on this node',
          capture: 'after',
          timeoutMs: 60_000,
          retry: retryUntilClear('no guest running on this node', stillRunning, spec.waitSeconds),
          verify: verifyClear(stillRunning),
        },
      ],
    };
  },
  finish: (spec, outputs) => {
    const before = parseGuestLists(outputs.before?.stdout ?? '');
    const after = parseGuestLists(outputs.after?.stdout ?? '');
    const remaining = new Set(after.map((g) => g.vmid));
    return {
      result: {
        target: spec.target,
        moved: before.filter((g) => !remaining.has(g.vmid)).map(({ vmid, type, name }) => ({ vmid, type, name })),
        left: after.map(({ vmid, type, name, status }) => ({ vmid, type, name, status })),
      },
    };
  },
};
