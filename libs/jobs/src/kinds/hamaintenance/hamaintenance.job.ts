import { z } from 'zod';
import { nodeName } from '../../formats';
import type { JobKindOf, Outputs, PlanStep } from '../../job-kind';
import { shellQuote } from '../../shell-quote';
import { parsePveManagerVersion } from '../facts/parse/basics';
import { MAX_WAIT_SECONDS, retryUntilClear, verifyClear } from '../clustercheck/retry-until-clear';
import { enterProblems, haStateOf, inMaintenance, leaveProblems, servicesOn } from './maintenance-state';

export const haMaintenanceSpec = z.strictObject({
  /** The node to put into (or take out of) maintenance; any cluster member may issue the request. */
  node: nodeName,
  enable: z.boolean(),
  /** How long HA may take to move the node's services away (enable) or to bring its LRM back (disable). */
  waitSeconds: z.number().int('must be an integer').min(0).max(MAX_WAIT_SECONDS).default(300),
});
export type HaMaintenanceSpec = z.infer<typeof haMaintenanceSpec>;

const STATUS = 'ha-manager status';
const before = (o: Outputs) => o.before?.stdout ?? '';

/** Reads `ha-manager status` until HA has done what was asked, or the wait is over. */
function readBack(spec: HaMaintenanceSpec): PlanStep {
  const node = spec.node;
  const problemsOf = (out: { stdout: string }) => (spec.enable ? enterProblems(out.stdout, node) : leaveProblems(out.stdout, node));
  return {
    command: STATUS,
    description: spec.enable
      ? `wait until ${node} is in maintenance mode and its HA services have moved`
      : `wait until the LRM of ${node} is back`,
    capture: 'after',
    timeoutMs: 60_000,
    retry: retryUntilClear(
      spec.enable ? `${node} in maintenance mode with no HA service on it` : `${node} out of maintenance mode`,
      problemsOf,
      spec.waitSeconds,
    ),
    verify: verifyClear(problemsOf),
  };
}

/**
 * HA maintenance mode (pve-commands §3.1): `enable` makes the CRM move the node's HA services away
 * and keeps them away across reboots; `disable` brings the node back (its HA services follow).
 * Only the request is the node's business; the wait reads `ha-manager status` until HA has done it.
 */
export const haMaintenanceJob: JobKindOf<'hamaintenance', typeof haMaintenanceSpec> = {
  type: 'hamaintenance',
  mutating: true,
  readBack: { by: 'plan', describe: 'ha-manager status is read until the node is in (or out of) maintenance as asked' },
  description: 'Enable or disable HA maintenance mode for a node and wait until HA has acted on it',
  spec: haMaintenanceSpec,
  objectId: (spec) => spec.node,
  plan: (spec) => {
    const node = spec.node;
    const verb = spec.enable ? 'enable' : 'disable';
    const steps: PlanStep[] = [
      { command: STATUS, description: 'read the HA state', capture: 'before', timeoutMs: 60_000 },
      {
        command: `ha-manager crm-command node-maintenance ${verb} ${shellQuote(node)}`,
        description: `${verb} maintenance mode for ${node}`,
        timeoutMs: 60_000,
        when: spec.enable
          ? { describe: `${node} is not in maintenance mode yet`, holds: (o) => !inMaintenance(before(o), node) }
          : { describe: `${node} is in maintenance mode`, holds: (o) => inMaintenance(before(o), node) },
      },
      readBack(spec),
    ];
    if (!spec.enable)
      steps.push({ command: 'pveversion', description: 'record the version the node runs', capture: 'version', timeoutMs: 60_000 });
    return {
      notes: [
        spec.enable
          ? `maintenance mode for ${node}: HA moves its services to other nodes; non-HA guests stay (migrateall moves those)`
          : `leaving maintenance mode for ${node}: HA services that left it move back on their own`,
      ],
      steps,
    };
  },
  // Read-only: waits, as the task would have, until HA has acted on the request (if it was sent).
  verifyAfterLoss: (spec) => [{ ...readBack(spec), capture: undefined }],
  finish: (spec, outputs) => {
    const node = spec.node;
    const was = haStateOf(before(outputs), node);
    const now = haStateOf(outputs.after?.stdout ?? '', node);
    const result: Record<string, unknown> = {
      node,
      maintenance: now.maintenance,
      lrmState: now.lrmState,
      changed: was.maintenance !== spec.enable,
      servicesOnNode: servicesOn(now, node),
    };
    if (spec.enable) {
      const location = new Map(now.services.map((s) => [s.sid, s.node]));
      result.movedServices = was.services.filter((s) => s.node === node).map((s) => ({ sid: s.sid, to: location.get(s.sid) ?? null }));
    } else {
      const pveversion = outputs.version?.stdout.trim() ?? '';
      result.pveversion = pveversion;
      result.pveManagerVersion = parsePveManagerVersion(pveversion);
    }
    return { result };
  },
};
