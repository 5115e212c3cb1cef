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
  /** Where it is as the rollout last moved it: back home, where this evacuation put it, or where a later one moved it on. */
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

/**
 * For the node view: every guest that left each node, where it went, whether it is back, and where
 * it is now. Nodes come in rollout order, so replaying their evacuations and returns in that order
 * follows a guest that an evacuation moved on from the node it had been placed on.
 */
export function guestWhereabouts(
  nodes: { node: string; tasks: { step: StepName; upid: string }[] }[],
  resultOf: (upid: string) => TaskResult,
): Map<string, GuestWhereabouts[]> {
  const now = new Map<number, string>();
  const rows = new Map<string, { move: GuestMove; returned: boolean }[]>();
  for (const n of nodes) {
    const back = new Set(n.tasks.filter((t) => t.step === 'return').flatMap((t) => returnedOf(resultOf(t.upid))));
    const moved = evacuatedGuests(n.tasks, resultOf);
    for (const m of moved) now.set(m.vmid, back.has(m.vmid) ? m.from : m.to);
    rows.set(
      n.node,
      moved.map((move) => ({ move, returned: back.has(move.vmid) })),
    );
  }
  return new Map(
    [...rows].map(([node, list]) => [
      node,
      list.map(({ move: m, returned }) => ({
        vmid: m.vmid,
        type: m.type,
        name: m.name,
        from: m.from,
        to: m.to,
        returned,
        now: now.get(m.vmid) ?? m.to,
      })),
    ]),
  );
}

/** The task upids whose results say where guests went: what the orchestrator and the view must read. */
export const guestTaskUpids = (tasks: { step: StepName; upid: string }[]): string[] =>
  tasks.filter((t) => t.step === 'evacuate' || t.step === 'return').map((t) => t.upid);
