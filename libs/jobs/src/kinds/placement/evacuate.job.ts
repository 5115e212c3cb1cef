import { z } from 'zod';
import { nodeName } from '../../formats';
import type { JobKindOf } from '../../job-kind';
import { MAX_WAIT_SECONDS } from '../clustercheck/retry-until-clear';
import { parseGuestLists } from '../migrateall/guest-list';
import { EVACUATION, evacuationPlacement, evacuationSteps } from './evacuation-steps';

export const evacuateSpec = z.strictObject({
  /** The nodes guests may go to (the caller decides eligibility: same cluster, not in maintenance, not older). */
  targets: z
    .array(nodeName)
    .min(1, 'name at least one node')
    .max(64, 'at most 64 nodes')
    .refine((t) => new Set(t).size === t.length, 'names a node twice'),
  /** How long the migrations may take, and then how long to wait for no guest to run here. */
  waitSeconds: z.number().int('must be an integer').min(1).max(MAX_WAIT_SECONDS).default(600),
});
export type EvacuateSpec = z.infer<typeof evacuateSpec>;

/**
 * Moves every guest off this node, spread over `targets` by free memory (placeGuests, at run time
 * on fresh `/cluster/resources`), one `qm migrate` / `pct migrate` per guest; refuses with the
 * numbers when a guest fits nowhere. The result says where each guest went, so it can come back.
 */
export const evacuateJob: JobKindOf<'evacuate', typeof evacuateSpec> = {
  type: 'evacuate',
  mutating: true,
  readBack: { by: 'plan', describe: 'the guest lists are read until no guest runs on the node' },
  description: 'Migrate every guest off this node, spread over the given nodes by free memory, and wait until none runs here',
  spec: evacuateSpec,
  objectId: () => '',
  plan: (spec, facts) => ({
    notes: [
      `guests go to ${spec.targets.join(', ')}: each to the node with the most free memory at run time (fewest running guests breaks ties); a guest that fits nowhere fails the step`,
      ...(facts?.hostname && spec.targets.includes(facts.hostname)
        ? [`${facts.hostname} is this node: it is never a target of its own guests`]
        : []),
    ],
    steps: evacuationSteps({ targets: spec.targets, waitSeconds: spec.waitSeconds, consequence: 'the node was not upgraded' }),
  }),
  finish: (spec, outputs) => {
    const placement = evacuationPlacement(outputs, spec.targets);
    const left = parseGuestLists(outputs[EVACUATION.after]?.stdout ?? '');
    return {
      result: { node: (outputs[EVACUATION.nodename]?.stdout ?? '').trim(), moved: 'moves' in placement ? placement.moves : [], left },
    };
  },
};
