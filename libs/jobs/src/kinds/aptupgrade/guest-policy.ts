import type { NodeFacts } from '../../node-facts';
import type { CapturedOutput, Outputs, PlanStep, StepCondition } from '../../job-kind';
import { shellQuote } from '../../shell-quote';
import { haMaintenanceJob } from '../hamaintenance/hamaintenance.job';
import { guestLabel, parseGuestLists, runningGuests, type GuestRow } from '../migrateall/guest-list';
import { EVACUATION, GUEST_LISTS, evacuationPlacement, evacuationSteps } from '../placement/evacuation-steps';

/**
 * What a task that may reboot the node does with the guests running on it, right before the reboot:
 * refuse (the default: no reboot while one runs), migrate them away, shut them down (and start them
 * again once the node is back), or ignore them, explicitly.
 */
export const GUEST_POLICIES = ['refuse', 'migrate', 'shutdown', 'ignore'] as const;
export type GuestPolicy = (typeof GUEST_POLICIES)[number];

export interface GuestPolicySpec {
  guests: GuestPolicy;
  shutdownTimeoutSeconds: number;
  targets?: string[];
  migrateWaitSeconds: number;
}

export const GUEST_CAPTURE = {
  beforeShutdown: 'guests.beforeShutdown',
  atReboot: 'guests.atReboot',
  afterReboot: 'guests.afterReboot',
} as const;

const guestsIn = (outputs: Outputs, name: string): GuestRow[] => parseGuestLists(outputs[name]?.stdout ?? '');
const tool = (g: GuestRow): string => (g.type === 'qemu' ? 'qm' : 'pct');

/** Every step of `steps` runs only when `cond` holds too (a step's own condition still applies). */
function onlyIf(cond: StepCondition | undefined, steps: PlanStep[]): PlanStep[] {
  if (!cond) return steps;
  return steps.map((s) => {
    const own = s.when;
    return {
      ...s,
      when: own ? { describe: `${cond.describe}, and ${own.describe}`, holds: (o: Outputs) => cond.holds(o) && own.holds(o) } : cond,
    };
  });
}

/** `qm shutdown <vmid> --timeout <s>` / `pct shutdown …` for each guest that runs now. */
function shutdownCommand(spec: GuestPolicySpec) {
  return (outputs: Outputs): string | null => {
    const running = runningGuests(guestsIn(outputs, GUEST_CAPTURE.beforeShutdown));
    return running.length
      ? running.map((g) => `${tool(g)} shutdown ${shellQuote(String(g.vmid))} --timeout ${spec.shutdownTimeoutSeconds}`).join(' && ')
      : null;
  };
}

/** `qm start` / `pct start` for each guest that ran before the shutdown and does not run now (onboot may have started it). */
function startAgainCommand(outputs: Outputs): string | null {
  const runningNow = new Set(runningGuests(guestsIn(outputs, GUEST_CAPTURE.afterReboot)).map((g) => g.vmid));
  const again = runningGuests(guestsIn(outputs, GUEST_CAPTURE.beforeShutdown)).filter((g) => !runningNow.has(g.vmid));
  return again.length ? again.map((g) => `${tool(g)} start ${shellQuote(String(g.vmid))}`).join(' && ') : null;
}

/** The last look before the reboot: a guest running here now keeps the node up (unless ignored). */
function guardStep(spec: GuestPolicySpec, doneSoFar: string): PlanStep {
  const refusal = (out: CapturedOutput): string | undefined => {
    const running = runningGuests(parseGuestLists(out.stdout));
    if (!running.length) return undefined;
    const why = { refuse: "params.guests is 'refuse'", migrate: 'they did not move away', shutdown: 'they did not shut down', ignore: '' }[
      spec.guests
    ];
    return `not rebooted: guests run on this node: ${running.map(guestLabel).join(', ')} (${why}); ${doneSoFar}`;
  };
  return {
    command: GUEST_LISTS,
    description:
      spec.guests === 'ignore'
        ? 'list the guests the reboot stops (params.guests is ignore)'
        : 'check that no guest runs on this node before the reboot',
    capture: GUEST_CAPTURE.atReboot,
    timeoutMs: 60_000,
    ...(spec.guests === 'ignore' ? {} : { verify: refusal }),
  };
}

/** HA maintenance for this node, as the hamaintenance task does it (its steps, under `cond`). */
function maintenanceSteps(node: string, enable: boolean, waitSeconds: number): PlanStep[] {
  return haMaintenanceJob.plan({ node, enable, waitSeconds }, null).steps;
}

/**
 * The steps around the reboot for the guest policy: `before` runs right before the reboot step,
 * `after` right after the node is back. All of them only when the reboot happens (`rebootWhen`).
 */
export function guestSteps(spec: GuestPolicySpec, facts: NodeFacts | null, rebootWhen: StepCondition | undefined) {
  const ha = facts?.ha != null && !!facts.hostname;
  const doneSoFar = 'the upgrade itself was done, the reboot is still pending';
  const before: PlanStep[] = [];
  const after: PlanStep[] = [];
  if (spec.guests === 'migrate') {
    if (ha) before.push(...maintenanceSteps(facts.hostname, true, spec.migrateWaitSeconds));
    before.push(
      ...evacuationSteps({
        targets: spec.targets,
        waitSeconds: spec.migrateWaitSeconds,
        consequence: `the node was not rebooted; ${doneSoFar}`,
      }),
    );
    if (ha) after.push(...maintenanceSteps(facts.hostname, false, spec.migrateWaitSeconds));
  }
  if (spec.guests === 'shutdown') {
    before.push(
      {
        command: GUEST_LISTS,
        description: 'list the guests running before the shutdown',
        capture: GUEST_CAPTURE.beforeShutdown,
        timeoutMs: 60_000,
      },
      {
        command: `qm shutdown <vmid> --timeout ${spec.shutdownTimeoutSeconds} / pct shutdown <ctid> --timeout ${spec.shutdownTimeoutSeconds}, for each running guest`,
        description: 'shut down every running guest cleanly',
        commandFrom: shutdownCommand(spec),
        // One clean shutdown after the other, each bounded by its own timeout.
        timeoutMs: (spec.shutdownTimeoutSeconds + 30) * 1000 * 64,
      },
    );
    after.push(
      { command: GUEST_LISTS, description: 'list the guests after the reboot', capture: GUEST_CAPTURE.afterReboot, timeoutMs: 60_000 },
      {
        command: 'qm start <vmid> / pct start <ctid>, for each guest that ran before the shutdown and is not running',
        description: 'start again the guests that were running',
        commandFrom: startAgainCommand,
        timeoutMs: 30 * 60_000,
      },
    );
  }
  before.push(guardStep(spec, doneSoFar));
  return { before: onlyIf(rebootWhen, before), after: onlyIf(rebootWhen, after) };
}

/** The plan note: what happens to guests, and where the list comes from. */
export function guestNote(spec: GuestPolicySpec, facts: NodeFacts | null): string {
  const listed = 'running guests are listed (qm list, pct list) right before the reboot';
  const where = spec.targets ? spec.targets.join(', ') : 'every other online node of the cluster';
  const ha = facts?.ha != null ? `HA maintenance mode for ${facts.hostname} first (left again once the node is back), then ` : '';
  return {
    refuse: `guests 'refuse': ${listed}; while one runs the node is not rebooted and the task fails naming them (the upgrade itself still runs)`,
    migrate: `guests 'migrate': ${ha}every guest migrates to ${where}, each to the node with the most free memory; guests are not moved back afterwards`,
    shutdown: `guests 'shutdown': each running guest shuts down cleanly (timeout ${spec.shutdownTimeoutSeconds} s); after the reboot those that were running, and only those, start again`,
    ignore: `guests 'ignore': ${listed} and the reboot stops them; nothing protects them`,
  }[spec.guests];
}

/** What the task records about the guests: which ran at the reboot, which moved, shut down, started again. */
export function guestOutcome(spec: GuestPolicySpec, outputs: Outputs): Record<string, unknown> {
  const labels = (rows: GuestRow[]) => rows.map(({ vmid, type, name }) => ({ vmid, type, name }));
  const result: Record<string, unknown> = { policy: spec.guests };
  if (outputs[GUEST_CAPTURE.atReboot]) result.runningAtReboot = labels(runningGuests(guestsIn(outputs, GUEST_CAPTURE.atReboot)));
  if (spec.guests === 'migrate' && outputs[EVACUATION.guests]) {
    const placement = evacuationPlacement(outputs, spec.targets);
    result.moved = 'moves' in placement ? placement.moves : [];
  }
  if (spec.guests === 'shutdown' && outputs[GUEST_CAPTURE.beforeShutdown]) {
    const shutDown = runningGuests(guestsIn(outputs, GUEST_CAPTURE.beforeShutdown));
    result.shutDown = labels(shutDown);
    // Those not already running after the boot (onboot starts some): the ones the task started.
    const runningAfter = new Set(runningGuests(guestsIn(outputs, GUEST_CAPTURE.afterReboot)).map((g) => g.vmid));
    result.startedAgain = outputs[GUEST_CAPTURE.afterReboot] ? labels(shutDown.filter((g) => !runningAfter.has(g.vmid))) : [];
  }
  return result;
}
