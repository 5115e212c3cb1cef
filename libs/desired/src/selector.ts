/**
 * The task node selector as desired state reads it: structurally the contracts' `nodeSelectorSchema`
 * (the pure package may not import the contracts; `libs/contracts/src/desired.contract.ts` checks the
 * two stay assignable both ways). Every given criterion must match, as for fleet tasks.
 */
export interface NodeSelector {
  nodes?: string[] | undefined;
  labels?: Record<string, string> | undefined;
  /** Cluster names as the nodes report them in their facts. */
  clusters?: string[] | undefined;
  all?: true | undefined;
}

/** The node as selectors see it (cluster from its facts, null when unknown). */
export interface SelectableNode {
  name: string;
  labels: Record<string, string>;
  cluster: string | null;
}

/** Whether `node` is among the nodes `selector` picks (the same rules as the SQL behind fleet tasks). */
export function matchesSelector(node: SelectableNode, selector: NodeSelector): boolean {
  if (selector.nodes && !selector.nodes.includes(node.name)) return false;
  if (selector.labels && Object.entries(selector.labels).some(([k, v]) => node.labels[k] !== v)) return false;
  if (selector.clusters && (node.cluster === null || !selector.clusters.includes(node.cluster))) return false;
  return Boolean(selector.nodes ?? selector.labels ?? selector.clusters ?? selector.all);
}

/**
 * Whether some node could match both selectors, decided from the selectors alone: they cannot meet
 * when their node lists or cluster lists are disjoint, or when they ask one label key for different
 * values; otherwise they can (labels may be added to any node at any time).
 */
export function canMeet(a: NodeSelector, b: NodeSelector): boolean {
  if (a.nodes && b.nodes && !intersects(a.nodes, b.nodes)) return false;
  if (a.clusters && b.clusters && !intersects(a.clusters, b.clusters)) return false;
  if (a.labels && b.labels) {
    const bl = b.labels;
    if (Object.entries(a.labels).some(([k, v]) => k in bl && bl[k] !== v)) return false;
  }
  return true;
}

function intersects(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return b.some((x) => set.has(x));
}
