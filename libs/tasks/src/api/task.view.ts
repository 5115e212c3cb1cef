import type { Task } from '@pvefleet/db';
import { isErrorClass, type ErrorClass } from '@pvefleet/errors';
import { parseUpid } from '../upid';

/** A task in Proxmox's shape (`upid, node, pid, pstart, starttime, type, id, user, status, exitstatus`) plus ours. */
export interface TaskView {
  upid: string;
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  endtime: number | null;
  type: string;
  id: string;
  user: string;
  status: 'queued' | 'running' | 'stopped';
  exitstatus: string | null;
  /** Why it failed (null unless it did): what to decide by, never the exitstatus text. */
  errorClass: ErrorClass | null;
  /** The rollout whose step this task is, or null for a task asked for directly. */
  rolloutId: number | null;
  /** The reconcile that created this task to fix drift, and the desired-state field it converges; null otherwise. */
  reconcileId: number | null;
  desiredField: string | null;
  /** The schedule run that created this task; null otherwise. */
  scheduleRunId: number | null;
  /** A scheduled task waiting for its start time (and its node's maintenance window): no worker takes it yet. */
  held: boolean;
  /** When a scheduled task may start (its run's fire time plus its place in the spread); null otherwise. */
  startAfter: string | null;
  startedAt: string | null;
  endedAt: string | null;
  logLines: number;
}

export interface TaskDetailView extends TaskView {
  params: unknown;
  plan: unknown;
  result: unknown;
  cancelledBy: string | null;
}

export function toTaskView(t: Task): TaskView {
  const u = parseUpid(t.upid);
  // Every stored UPID was made by encodeUpid: one that does not parse is a corrupted row.
  if (!u) throw new Error(`task ${t.id} has an invalid UPID '${t.upid}'`);
  return {
    upid: t.upid,
    node: t.node,
    pid: u.pid,
    pstart: u.pstart,
    starttime: u.starttime,
    endtime: t.endTime ? Math.floor(t.endTime.getTime() / 1000) : null,
    type: t.type,
    id: t.objectId,
    user: t.user,
    status: t.status,
    exitstatus: t.exitstatus,
    errorClass: isErrorClass(t.errorClass) ? t.errorClass : null,
    rolloutId: t.rolloutId,
    reconcileId: t.reconcileId,
    desiredField: t.desiredField,
    scheduleRunId: t.scheduleRunId,
    held: t.held,
    startAfter: t.startAfter?.toISOString() ?? null,
    startedAt: t.startedAt?.toISOString() ?? null,
    endedAt: t.endTime?.toISOString() ?? null,
    logLines: t.logLines,
  };
}

export function toTaskDetailView(t: Task): TaskDetailView {
  return { ...toTaskView(t), params: t.params, plan: t.plan, result: t.result ?? null, cancelledBy: t.cancelledBy };
}
