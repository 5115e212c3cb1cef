import { z } from 'zod';
import type { JobKindOf, Outputs } from '../../job-kind';
import { shellQuote } from '../../shell-quote';
import { flagProblem, parseOsdFlags } from './osd-flags';

export const cephFlagSpec = z.strictObject({
  /** Only `noout` for now: what a rolling upgrade sets while a node's OSDs are down. */
  flag: z.enum(['noout']),
  set: z.boolean(),
});
export type CephFlagSpec = z.infer<typeof cephFlagSpec>;

// Quiet: on a real cluster the OSD map lists every OSD and pool; the flags are all we read.
const OSD_DUMP = 'ceph osd dump --format json';
const hasFlag = (o: Outputs, key: string, flag: string): boolean => parseOsdFlags(o[key]?.stdout ?? '')?.includes(flag) ?? false;

/**
 * Sets or clears a cluster-wide OSD flag (pve-outputs §4.3). `noout` keeps Ceph from marking the
 * OSDs of a rebooting node out and rebalancing; it is cleared once the node's OSDs are back.
 */
export const cephFlagJob: JobKindOf<'cephflag', typeof cephFlagSpec> = {
  type: 'cephflag',
  mutating: true,
  readBack: { by: 'plan', describe: 'the OSD map is read back: the flag is set (or unset) as asked' },
  description: 'Set or unset a Ceph OSD flag (noout) and verify it in the OSD map',
  spec: cephFlagSpec,
  objectId: (spec) => spec.flag,
  plan: (spec) => {
    const { flag, set } = spec;
    return {
      notes: [
        set
          ? `setting ${flag}: Ceph will not mark down OSDs out (no rebalancing while a node reboots)`
          : `clearing ${flag}: Ceph marks OSDs that stay down out again after the usual delay`,
      ],
      steps: [
        { command: OSD_DUMP, description: 'read the OSD map flags', capture: 'before', quiet: true, timeoutMs: 60_000 },
        {
          command: `ceph osd ${set ? 'set' : 'unset'} ${shellQuote(flag)}`,
          description: `${set ? 'set' : 'unset'} ${flag}`,
          timeoutMs: 60_000,
          when: set
            ? { describe: `${flag} is not set yet`, holds: (o) => !hasFlag(o, 'before', flag) }
            : { describe: `${flag} is set`, holds: (o) => hasFlag(o, 'before', flag) },
        },
        {
          command: OSD_DUMP,
          description: `verify ${flag} is ${set ? 'set' : 'unset'}`,
          capture: 'after',
          quiet: true,
          timeoutMs: 60_000,
          verify: (out) => flagProblem(out.stdout, flag, set),
        },
      ],
    };
  },
  verifyAfterLoss: (spec) => [
    {
      command: OSD_DUMP,
      description: `read whether ${spec.flag} is ${spec.set ? 'set' : 'unset'}`,
      quiet: true,
      timeoutMs: 60_000,
      verify: (out) => flagProblem(out.stdout, spec.flag, spec.set),
    },
  ],
  finish: (spec, outputs) => ({
    result: {
      flag: spec.flag,
      set: spec.set,
      changed: hasFlag(outputs, 'before', spec.flag) !== spec.set,
      flags: parseOsdFlags(outputs.after?.stdout ?? '') ?? [],
    },
  }),
};
