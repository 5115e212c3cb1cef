import type { GuestMove } from '@pvefleet/jobs';
import type { StepName } from './node-steps';

type TaskResult = Record<string, unknown> | null | undefined;

/** A guest an evacuation moved away from a node, and whether it came back. */
export interface GuestWhereabouts {
  vmid: number;
  type: 'qemu' | 'lxc';
  name: string;
  /** The node it was on before the rollout moved it (this node). */
  from: string;
  /** The node the evacuation moved it to. */
  to: string;
  returned: boolean;
  /** Where it is as the rollout last saw it: back home, or where the evacuation put it. */
  now: string;
}

const movesOf = (result: TaskResult): GuestMove[] => (Array.isArray(result?.moved) ? (result.moved as GuestMove[]) : []);
const returnedOf = (result: TaskResult): number[] => {
  const back = Array.isArray(result?.returned) ? (result.returned as { vmid: number }[]).map((g) => g.vmid) : [];
  const here = Array.isArray(result?.alreadyHere) ? (result.alreadyHere as number[]) : [];
  return [...back, ...here];
};

/**
 * Every guest the node's evacuations moved away (a re-run after a crash adds to what the first run
 * recorded; a later record of the same guest wins), from the evacuate tasks' results.
 */
export function evacuatedGuests(tasks: { step: StepName; upid: string }[], resultOf: (upid: string) => TaskResult): GuestMove[] {
  const byVmid = new Map<number, GuestMove>();
  for (const t of tasks.filter((x) => x.step === 'evacuate')) for (const m of movesOf(resultOf(t.upid))) byVmid.set(m.vmid, m);
  return [...byVmid.values()].sort((a, b) => a.vmid - b.vmid);
}

/** For the node view: every guest that left the node, where it went, and whether it is back. */
export function guestWhereabouts(tasks: { step: StepName; upid: string }[], resultOf: (upid: string) => TaskResult): GuestWhereabouts[] {
  const back = new Set(tasks.filter((t) => t.step === 'return').flatMap((t) => returnedOf(resultOf(t.upid))));
  return evacuatedGuests(tasks, resultOf).map((m) => ({
    vmid: m.vmid,
    type: m.type,
    name: m.name,
    from: m.from,
    to: m.to,
    returned: back.has(m.vmid),
    now: back.has(m.vmid) ? m.from : m.to,
  }));
}

/** The task upids whose results say where guests went: what the orchestrator and the view must read. */
export const guestTaskUpids = (tasks: { step: StepName; upid: string }[]): string[] => tasks.filter((t) => t.step === 'evacuate' || t.step === 'return').map((t) => t.upid);
