import { guestName, mib, type GuestResource, type NodeResource } from './cluster-resources';

/** One guest to move: where from and to, and whether it runs (online / restart migration). */
export interface GuestMove {
  vmid: number;
  type: 'qemu' | 'lxc';
  name: string;
  running: boolean;
  from: string;
  to: string;
}

export type Placement = { moves: GuestMove[] } | { refused: string };

interface Candidate {
  node: string;
  free: number;
  running: number;
}

/**
 * Where each guest on `fromNode` goes, among `eligible` nodes (the caller's decision: same cluster,
 * not in maintenance or in flight, not older). Pure, on fresh `/cluster/resources` data.
 *
 * Largest running guests first, each to the node with the most free memory (fewest running guests
 * breaks ties, then the name), counting what was placed before it: so guests spread instead of
 * piling onto one node. A running guest that fits nowhere refuses the whole placement with the
 * numbers, rather than overfilling a node; stopped guests need no memory and go where fewest run.
 */
export function placeGuests(
  resources: { nodes: NodeResource[]; guests: GuestResource[] },
  fromNode: string,
  eligible: readonly string[],
): Placement {
  const leaving = resources.guests.filter((g) => g.node === fromNode);
  if (!leaving.length) return { moves: [] };
  const candidates: Candidate[] = resources.nodes
    .filter((n) => n.node !== fromNode && n.online && eligible.includes(n.node))
    .map((n) => ({ node: n.node, free: n.maxmem - n.mem, running: resources.guests.filter((g) => g.node === n.node && g.running).length }));
  if (!candidates.length) {
    return {
      refused: `no node to move ${leaving.length} guests to: none of ${eligible.join(', ') || '(no eligible node)'} is online in the cluster`,
    };
  }
  const order = [...leaving].sort((a, b) => Number(b.running) - Number(a.running) || b.maxmem - a.maxmem || a.vmid - b.vmid);
  const moves: GuestMove[] = [];
  for (const g of order) {
    const best = g.running ? pick(candidates, byFreeMemory) : pick(candidates, byRunningGuests);
    if (g.running && best.free < g.maxmem) {
      return {
        refused:
          `no node has room for ${guestName(g)}: it needs ${mib(g.maxmem)} MiB, the node with the most free memory, ` +
          `${best.node}, has ${mib(best.free)} MiB free (of ${candidates.map((c) => c.node).join(', ')})`,
      };
    }
    if (g.running) {
      best.free -= g.maxmem;
      best.running++;
    }
    moves.push({ vmid: g.vmid, type: g.type, name: g.name, running: g.running, from: fromNode, to: best.node });
  }
  return { moves: moves.sort((a, b) => a.vmid - b.vmid) };
}

const byName = (a: Candidate, b: Candidate): number => a.node.localeCompare(b.node, 'en', { numeric: true });
const byFreeMemory = (a: Candidate, b: Candidate): number => b.free - a.free || a.running - b.running || byName(a, b);
const byRunningGuests = (a: Candidate, b: Candidate): number => a.running - b.running || b.free - a.free || byName(a, b);
const pick = (candidates: Candidate[], order: (a: Candidate, b: Candidate) => number): Candidate => [...candidates].sort(order)[0];
