import { ClassifiedError } from '@pvefleet/errors';

/**
 * Every task type pvefleet can run; Proxmox's name where one exists. A job kind is written for one of
 * these (`JobKindOf<'aptupgrade', …>`), and the registry refuses to start unless each has exactly one.
 */
export const TASK_TYPES = [
  'facts',
  'aptupdate',
  'aptupgrade',
  'aptrepos',
  'ntp',
  'acmerenew',
  'acmenewcert',
  'zfscreate',
  'lvmthin',
  'exec',
  // Host settings a desired-state field converges.
  'swappiness',
  'zfsarc',
  'apthold',
  'metricserver',
  // The host network by a confirmed apply (desired-state field `network`).
  'netconfig',
  // The steps of a rolling upgrade, each a task of its own.
  'clustercheck',
  'hamaintenance',
  'migrateall',
  'evacuate',
  'returnguests',
  'cephflag',
  'nodehealth',
  'pve8to9',
] as const;

export type TaskType = (typeof TASK_TYPES)[number];

export function isTaskType(value: string): value is TaskType {
  return (TASK_TYPES as readonly string[]).includes(value);
}

/**
 * A task type read from outside the code (a database row, a queue message): anything else is a row
 * this version cannot run, a permanent failure.
 */
export function parseTaskType(value: string): TaskType {
  if (!isTaskType(value)) throw new ClassifiedError('permanent', `unknown task type '${value}' (known: ${TASK_TYPES.join(', ')})`);
  return value;
}
