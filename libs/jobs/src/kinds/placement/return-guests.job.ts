import { z } from 'zod';
import type { CapturedOutput, JobKindOf } from '../../job-kind';
import { shellQuote } from '../../shell-quote';
import { MAX_WAIT_SECONDS, retryUntilClear, verifyClear } from '../clustercheck/retry-until-clear';
import { GUEST_RESOURCES, guestName, parseGuestResources, type GuestResource } from './cluster-resources';

export const returnGuestsSpec = z.strictObject({
  /** The guests that left this node (as an evacuation recorded them). */
  guests: z
    .array(z.strictObject({ vmid: z.number().int().min(1).max(999_999_999), type: z.enum(['qemu', 'lxc']) }))
    .min(1, 'name at least one guest')
    .max(4096),
  /** How long the migrations back may take. */
  waitSeconds: z.number().int('must be an integer').min(1).max(MAX_WAIT_SECONDS).default(600),
});
export type ReturnGuestsSpec = z.infer<typeof returnGuestsSpec>;

const CAPTURE = { before: 'return.before', after: 'return.after' } as const;
/** This node's name, then the cluster's guests: each read of it says where "here" is and who is here. */
const WHERE = `hostname && ${GUEST_RESOURCES}`;

interface Where {
  here: string;
  /** The listed guests as the cluster knows them now; one deleted meanwhile is simply absent. */
  guests: GuestResource[];
}

function readWhere(spec: ReturnGuestsSpec, out: CapturedOutput | undefined): Where {
  const [first = '', ...rest] = (out?.stdout ?? '').split('\n');
  const listed = (g: GuestResource) => spec.guests.some((w) => w.vmid === g.vmid && w.type === g.type);
  return { here: first.trim(), guests: parseGuestResources(rest.join('\n')).filter(listed) };
}

const away = (w: Where): GuestResource[] => w.guests.filter((g) => g.node !== w.here);

/**
 * `pvesh create /nodes/<where>/<type>/<vmid>/migrate`: the API call `qm migrate` makes, but from
 * this node for a guest on another one (the API forwards it there). It starts the migration task
 * and prints its UPID; the wait below reads where the guests are.
 */
function migrateHere(g: GuestResource, target: string): string {
  const mode = g.running ? (g.type === 'qemu' ? ' --online 1' : ' --restart 1') : '';
  return `pvesh create ${shellQuote(`/nodes/${g.node}/${g.type}/${g.vmid}/migrate`)} --target ${shellQuote(target)}${mode}`;
}

/**
 * Brings the guests an evacuation moved away back to this node, once it is back in service. Where
 * each guest is comes from `/cluster/resources` read right before, so a re-run after a crash moves
 * only those still away, and a guest already home is left alone.
 */
export const returnGuestsJob: JobKindOf<'returnguests', typeof returnGuestsSpec> = {
  type: 'returnguests',
  mutating: true,
  readBack: { by: 'plan', describe: '/cluster/resources is read until every listed guest is on this node' },
  description: 'Migrate the given guests back to this node (pvesh create …/migrate) and wait until they are here',
  spec: returnGuestsSpec,
  plan: (spec) => {
    const notBack = (out: CapturedOutput): string[] => {
      const left = away(readWhere(spec, out));
      return left.length ? [`not back yet: ${left.map((g) => `${guestName(g)} on ${g.node}`).join(', ')}`] : [];
    };
    return {
      notes: [
        `bringing back ${spec.guests.map(guestName).join(', ')}: each from wherever it is now; one already here, or deleted meanwhile, is left alone`,
      ],
      steps: [
        { command: WHERE, description: 'this node, and where the guests are now', capture: CAPTURE.before, timeoutMs: 60_000 },
        {
          command: 'pvesh create /nodes/<node>/<type>/<vmid>/migrate --target <this node>, for each guest not here',
          description: 'migrate the guests back to this node',
          commandFrom: (outputs) => {
            const where = readWhere(spec, outputs[CAPTURE.before]);
            const moves = away(where).map((g) => migrateHere(g, where.here));
            return moves.length ? moves.join(' && ') : null;
          },
          timeoutMs: 120_000,
        },
        {
          command: WHERE,
          description: 'wait until every guest is back on this node',
          capture: CAPTURE.after,
          timeoutMs: 60_000,
          retry: retryUntilClear('every guest back on this node', notBack, spec.waitSeconds),
          verify: verifyClear(notBack),
        },
      ],
    };
  },
  finish: (spec, outputs) => {
    const was = readWhere(spec, outputs[CAPTURE.before]);
    const here = was.here;
    const before = new Map(was.guests.map((g) => [g.vmid, g.node]));
    const after = readWhere(spec, outputs[CAPTURE.after]).guests;
    return {
      result: {
        node: here,
        returned: after
          .filter((g) => g.node === here && before.get(g.vmid) !== here)
          .map((g) => ({ vmid: g.vmid, type: g.type, name: g.name, from: before.get(g.vmid) ?? null })),
        alreadyHere: after.filter((g) => before.get(g.vmid) === here).map((g) => g.vmid),
        missing: spec.guests.filter((w) => !after.some((g) => g.vmid === w.vmid)).map((w) => w.vmid),
      },
    };
  },
};
