import type { Plan, PlanStep, Rollback } from '../../job-kind';
import type { NodeFacts } from '../../node-facts';
import { shellQuote } from '../../shell-quote';
import { writeFileStep } from '../aptrepos/write-file';
import { INTERFACES_PATH } from '../facts/parse/network-interfaces';
import { CONFIRM_MARKER, confirmProblem } from './confirm-check';
import type { NetconfigSpec } from './netconfig-spec';
import { type NetworkTarget, networkTarget } from './network-target';

const BACKUP_ROOT = '/var/lib/pvefleet/backup';
/** Marks where the rollback check's file read starts. */
const FILE_MARKER = '@@pvefleet-file';
/** How long `ifreload -a` may take; a connection it cut off may never report its end. */
const IFRELOAD_TIMEOUT_MS = 60_000;
/** After the node's timer fired: time for its restore and ifreload, and for pvefleet to notice. */
const ROLLBACK_GRACE_MS = 60_000;

/** The names a task's backup and timer go by: from when its facts were read, so the plan stays pure. */
export function rollbackNames(collectedAt: number): { unit: string; dir: string } {
  return { unit: `pvefleet-netrollback-${collectedAt}`, dir: `${BACKUP_ROOT}/netconfig-${collectedAt}` };
}

/**
 * A confirmed apply. The current file is saved and the node arms its own rollback (a transient
 * systemd timer putting the file back and running `ifreload -a`) before anything changes; then the
 * new file and `ifreload -a`. pvefleet must then reach the node on a NEW connection and see the new
 * network before it stops the timer: a change that cut the node off cannot be confirmed, so the node
 * restores itself, and the task waits for that and fails saying so.
 */
export function planNetconfig(spec: NetconfigSpec, facts: NodeFacts | null): Plan {
  const target = networkTarget(spec, facts);
  if (!target.changes.length) return { steps: [], notes: ['the network is as declared: nothing to change'] };
  const { unit, dir } = rollbackNames(facts?.collectedAt ?? 0);
  const timer = `${unit}.timer`;
  const backup = `${dir}/interfaces`;
  const windowMs = spec.rollbackAfterSeconds * 1000;
  const restore = `cp -a ${shellQuote(backup)} ${INTERFACES_PATH} && ifreload -a`;
  const steps: PlanStep[] = [
    {
      command: `mkdir -p ${shellQuote(dir)} && cp -a ${INTERFACES_PATH} ${shellQuote(backup)}`,
      description: `save ${INTERFACES_PATH} to ${dir}`,
    },
    {
      command: `systemd-run --on-active=${spec.rollbackAfterSeconds} --unit=${unit} sh -c ${shellQuote(restore)}`,
      description: `arm the node's own rollback: in ${spec.rollbackAfterSeconds} s it restores ${INTERFACES_PATH} and runs ifreload -a, unless pvefleet confirms first`,
      // From here on a failure waits for the node to put itself back.
      armsRollback: true,
    },
    writeFileStep(INTERFACES_PATH, target.after, `write the new ${INTERFACES_PATH}`),
    { command: 'ifreload -a', description: 'apply the new network', timeoutMs: IFRELOAD_TIMEOUT_MS },
    {
      command: `systemctl is-active ${timer}; echo ${CONFIRM_MARKER}; ip -j addr`,
      description: 'reach the node on a new connection and read its links: the new network must be there',
      // Half the timer's window: a node not reachable by then is not going to be confirmed in time.
      reconnect: { waitMs: windowMs / 2 },
      capture: 'confirm',
      // Read, not shown: `ip -j addr` is one long JSON line; what it lacks is in the error.
      quiet: true,
      verify: (out) => confirmProblem(out.stdout, timer, target.expected),
    },
    {
      command: `systemctl stop ${timer}`,
      description: "confirm: cancel the node's rollback",
      // 5: "not loaded", the timer fired in between.
      okExitCodes: [0, 5],
      verify: (out) =>
        out.exitCode === 0
          ? undefined
          : `the node's rollback timer ${timer} fired before pvefleet could cancel it: the change was not confirmed`,
    },
    { command: `rm -rf ${shellQuote(dir)}`, description: 'remove the backup: the new network is confirmed' },
  ];
  return { steps, notes: target.changes, rollback: nodeRollback(target, unit, dir, windowMs) };
}

/**
 * What a failure after the timer was armed does: nothing to the node (it restores itself), but
 * wait for it on a new connection, until its timer and the restoring service are done, and check
 * that the file is the saved one again.
 */
function nodeRollback(target: NetworkTarget, unit: string, dir: string, windowMs: number): Rollback {
  const waitMs = windowMs + ROLLBACK_GRACE_MS;
  return {
    describe: `waiting for the node's rollback timer ${unit}.timer to restore ${INTERFACES_PATH} (at most ${Math.round(waitMs / 1000)} s)`,
    steps: [
      {
        command: `systemctl is-active ${unit}.timer ${unit}.service; echo ${FILE_MARKER}; cat ${INTERFACES_PATH}`,
        description: 'read the node back once its rollback has run',
        reconnect: { waitMs },
        retry: {
          until: (out) => !timerOrServiceRunning(out.stdout),
          intervalMs: 2_000,
          timeoutMs: waitMs,
          describe: `the node's rollback timer ${unit}.timer and its service to finish`,
        },
        verify: (out) =>
          sameText(fileAfterMarker(out.stdout), target.before)
            ? undefined
            : `the node's rollback ran but ${INTERFACES_PATH} is not the saved one (${dir}/interfaces): check the node's console`,
      },
      { command: `rm -rf ${shellQuote(dir)}`, description: 'remove the backup: the node is back on it' },
    ],
    done: `network change rolled back by the node: its timer ${unit}.timer restored ${INTERFACES_PATH} and ran ifreload -a`,
  };
}

function timerOrServiceRunning(stdout: string): boolean {
  const states = stdout.slice(0, Math.max(0, stdout.indexOf(FILE_MARKER))).split('\n');
  return states.some((s) => ['active', 'activating', 'reloading', 'deactivating'].includes(s.trim()));
}

function fileAfterMarker(stdout: string): string | undefined {
  const at = stdout.indexOf(`${FILE_MARKER}\n`);
  return at === -1 ? undefined : stdout.slice(at + FILE_MARKER.length + 1);
}

/** Captured output is lines, so a file's final newlines are not told apart. */
const sameText = (read: string | undefined, saved: string) => read !== undefined && read.replace(/\n+$/, '') === saved.replace(/\n+$/, '');
