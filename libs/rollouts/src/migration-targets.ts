import type { NodeFacts } from '@pvefleet/jobs';
import type { RolloutNodeRow, RolloutStore } from './rollout-store';

/** Compares dotted versions numerically: 8.4.16 > 8.4.9. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
  const pb = b.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/**
 * Where a node's guests may go: another registered node of its cluster that is not in this rollout's
 * flight (so not in maintenance or rebooting), has not failed (failed nodes stay in maintenance),
 * and runs the same or a newer version. Already upgraded nodes first, then the newest, then by name.
 */
export class MigrationTargets {
  private members = new Map<string, { name: string; facts: unknown }[]>();

  constructor(
    private readonly store: RolloutStore,
    private readonly rolloutNodes: RolloutNodeRow[],
    private readonly currentBatch: number,
  ) {}

  async forNode(node: RolloutNodeRow): Promise<string | null> {
    if (!node.cluster) return null;
    if (!this.members.has(node.cluster)) this.members.set(node.cluster, await this.store.clusterMembers(node.cluster));
    const mine = (node.facts as NodeFacts | null)?.pveManagerVersion ?? '0';
    const inRollout = new Map(this.rolloutNodes.map((n) => [n.node, n]));
    const candidates = this.members
      .get(node.cluster)!
      .filter((m) => m.name !== node.node)
      .map((m) => {
        const facts = m.facts as NodeFacts | null;
        return { name: m.name, version: facts?.pveManagerVersion ?? '0', inMaintenance: !!facts?.ha?.maintenance, ro: inRollout.get(m.name) };
      })
      // Nodes of this rollout are judged by its own state (their stored facts may predate leaving maintenance).
      .filter((c) => c.ro || !c.inMaintenance)
      // Not in flight, not failed (failed nodes stay in maintenance), not about to start in this batch.
      .filter((c) => !c.ro || c.ro.state === 'done' || c.ro.state === 'skipped' || (c.ro.state === 'pending' && c.ro.batch !== this.currentBatch))
      .filter((c) => compareVersions(c.version, mine) >= 0);
    candidates.sort(
      (a, b) =>
        Number(b.ro?.state === 'done') - Number(a.ro?.state === 'done') ||
        compareVersions(b.version, a.version) ||
        a.name.localeCompare(b.name, 'en', { numeric: true }),
    );
    return candidates[0]?.name ?? null;
  }
}
