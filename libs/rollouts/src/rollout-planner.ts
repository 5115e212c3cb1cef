import { SpecError } from '@pvefleet/jobs';
import type { CountOrPercent, RolloutRequest } from './rollout.schemas';

export interface PlannerNode {
  name: string;
  /** Null for a standalone node. */
  cluster: string | null;
  /** The cluster's expected votes (from its facts). */
  expectedVotes: number | null;
  labels: Record<string, string>;
}

export interface RolloutPlan {
  /** Node names per batch, in the order they start. */
  batches: string[][];
  /** Per cluster: how many of its nodes may be down at once (quorum) and are (perCluster). */
  clusters: Record<string, { expectedVotes: number; maxDown: number; inFlight: number }>;
}

/** Nodes a cluster can lose and stay quorate: expected votes minus the quorum (a majority). */
export function quorumSafeMaxDown(expectedVotes: number): number {
  return expectedVotes - (Math.floor(expectedVotes / 2) + 1);
}

export function resolveCount(v: CountOrPercent, of: number): number {
  if (typeof v === 'number') return v;
  return Math.ceil((of * Number.parseInt(v, 10)) / 100);
}

const STANDALONE = '';

/**
 * Splits the selected nodes into batches: clusters side by side, each with at most `perCluster`
 * nodes in flight (never more than its quorum allows), at most `batchSize` nodes per batch, a canary
 * cluster first and alone. Pure: the same input always gives the same batches (dry runs show them).
 */
export function planRollout(
  nodes: PlannerNode[],
  req: Pick<RolloutRequest, 'batchSize' | 'perCluster' | 'order' | 'canaryCluster'>,
): RolloutPlan {
  const globalCap = req.batchSize === undefined ? Infinity : Math.max(1, resolveCount(req.batchSize, nodes.length));
  const ordered = orderNodes(nodes, req.order);
  const lanes = new Map<string, PlannerNode[]>();
  for (const n of ordered) {
    const key = n.cluster ?? STANDALONE;
    lanes.set(key, [...(lanes.get(key) ?? []), n]);
  }
  const clusters: RolloutPlan['clusters'] = {};
  /** Each lane with how many of its nodes one batch may take. */
  const capped: { key: string; cap: number; members: PlannerNode[] }[] = [];
  for (const [key, members] of lanes) {
    if (key === STANDALONE) {
      capped.push({ key, cap: req.batchSize === undefined ? 1 : globalCap, members });
      continue;
    }
    const expectedVotes = members[0].expectedVotes;
    if (!expectedVotes)
      throw new SpecError([
        { field: 'selector', message: `cluster ${key}: its nodes' facts have no quorum information; run facts on them first` },
      ]);
    const maxDown = quorumSafeMaxDown(expectedVotes);
    if (maxDown < 1) {
      throw new SpecError([
        { field: 'selector', message: `cluster ${key} has ${expectedVotes} expected votes: taking any node down would lose quorum` },
      ]);
    }
    const inFlight = Math.min(req.perCluster, maxDown);
    clusters[key] = { expectedVotes, maxDown, inFlight };
    capped.push({ key, cap: inFlight, members });
  }
  if (req.canaryCluster !== undefined && !lanes.has(req.canaryCluster)) {
    throw new SpecError([{ field: 'canaryCluster', message: `no selected node is in cluster '${req.canaryCluster}'` }]);
  }
  const phases =
    req.canaryCluster !== undefined
      ? [capped.filter((l) => l.key === req.canaryCluster), capped.filter((l) => l.key !== req.canaryCluster)]
      : [capped];
  const batches: string[][] = [];
  for (const group of phases) {
    // Lanes side by side, ordered by key.
    const queues = group.sort(byKey).map((l) => ({ cap: l.cap, queue: [...l.members] }));
    while (queues.some((q) => q.queue.length)) {
      const batch: string[] = [];
      for (const q of queues) {
        const take = Math.min(q.cap, globalCap - batch.length, q.queue.length);
        batch.push(...q.queue.splice(0, Math.max(0, take)).map((n) => n.name));
      }
      batches.push(batch);
    }
  }
  return { batches, clusters };
}

function byKey(a: { key: string }, b: { key: string }): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function orderNodes(nodes: PlannerNode[], order: RolloutRequest['order']): PlannerNode[] {
  const byName = [...nodes].sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  if (order === 'name') return byName;
  if ('label' in order) {
    const key = (n: PlannerNode) => n.labels[order.label] ?? '\uffff';
    return byName.sort((a, b) => key(a).localeCompare(key(b), 'en', { numeric: true }));
  }
  const rank = new Map(order.nodes.map((n, i) => [n, i]));
  return byName.sort((a, b) => (rank.get(a.name) ?? Infinity) - (rank.get(b.name) ?? Infinity));
}
