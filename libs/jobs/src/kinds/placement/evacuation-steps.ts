import type { Outputs, PlanStep, StepCondition } from '../../job-kind';
import { retryUntilClear, verifyClear } from '../clustercheck/retry-until-clear';
import { stillRunningHere } from '../migrateall/guest-list';
import { GUEST_RESOURCES, NODE_RESOURCES, parseGuestResources, parseNodeResources } from './cluster-resources';
import { migrateCommands } from './guest-migration';
import { placeGuests, type Placement } from './place-guests';

/** Capture names of the evacuation steps, prefixed so they never clash with a host kind's own. */
export const EVACUATION = {
  nodename: 'evacuation.nodename',
  nodes: 'evacuation.nodes',
  guests: 'evacuation.guests',
  after: 'evacuation.after',
} as const;

export const GUEST_LISTS = 'qm list && pct list';

export interface EvacuationOptions {
  /** Where guests may go (validated node names); undefined: every other online member of the cluster. */
  targets?: readonly string[];
  /** How long the migrations may take, and then how long to wait until no guest runs here. */
  waitSeconds: number;
  /** Only evacuate when this holds (e.g. "a reboot follows"). */
  when?: StepCondition;
  /** What a guest still running here means for the task, for the failure text. */
  consequence: string;
}

/** The placement from what the evacuation read: this node's name, the cluster's nodes and guests. */
export function evacuationPlacement(outputs: Outputs, targets?: readonly string[]): Placement {
  const self = (outputs[EVACUATION.nodename]?.stdout ?? '').trim();
  const nodes = parseNodeResources(outputs[EVACUATION.nodes]?.stdout ?? '');
  const guests = parseGuestResources(outputs[EVACUATION.guests]?.stdout ?? '');
  return placeGuests({ nodes, guests }, self, targets ?? nodes.map((n) => n.node));
}

/**
 * Moves every guest off this node, spread by `placeGuests` on fresh `/cluster/resources` data read
 * right before (so a re-run after a crash only moves what is still here), then reads the guest
 * lists until none runs here. A placement that finds no room fails the step with the numbers.
 */
export function evacuationSteps(opts: EvacuationOptions): PlanStep[] {
  const when = opts.when ? { when: opts.when } : {};
  const stillRunning = stillRunningHere(opts.consequence);
  const among = opts.targets ? opts.targets.join(', ') : 'every other online node of the cluster';
  return [
    { command: 'hostname', description: "this node's name in the cluster", capture: EVACUATION.nodename, ...when },
    { command: NODE_RESOURCES, description: 'free memory of every node', capture: EVACUATION.nodes, timeoutMs: 60_000, ...when },
    {
      command: GUEST_RESOURCES,
      description: 'every guest of the cluster and where it runs',
      capture: EVACUATION.guests,
      timeoutMs: 60_000,
      ...when,
      verify: (out, outputs) => {
        const placement = evacuationPlacement({ ...outputs, [EVACUATION.guests]: out }, opts.targets);
        return 'refused' in placement ? `${placement.refused}; ${opts.consequence}` : undefined;
      },
    },
    {
      command: `qm migrate <vmid> <node> --online / pct migrate <ctid> <node> --restart, one per guest on this node, each to the node with the most free memory among ${among}`,
      description: 'migrate each guest to the node placed for it',
      commandFrom: (outputs) => {
        const placement = evacuationPlacement(outputs, opts.targets);
        return 'moves' in placement ? migrateCommands(placement.moves) : null;
      },
      timeoutMs: opts.waitSeconds * 1000,
      ...when,
    },
    {
      command: GUEST_LISTS,
      description: 'wait until no guest runs on this node',
      capture: EVACUATION.after,
      timeoutMs: 60_000,
      ...when,
      retry: retryUntilClear('no guest running on this node', stillRunning, opts.waitSeconds),
      verify: verifyClear(stillRunning),
    },
  ];
}
