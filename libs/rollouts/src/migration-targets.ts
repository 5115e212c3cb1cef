import { compareVersions, type NodeFacts } from '@pvefleet/jobs';
import type { RolloutRepository } from './rollout.repository';
import type { RolloutNodeRow } from './rollout.types';

/**
 * Where a node's guests may go: another registered node of its cluster that is not in this rollout's
 * flight (so not in maintenance or rebooting), has not failed (failed nodes stay in maintenance),
 * and runs the same or a newer version (dpkg's order). Which of them each guest goes to is decided
 * at run time by the evacuation, on fresh free-memory figures; this only says who is eligible.
 */
export class MigrationTargets {
  private members = new Map<string, { name: string; facts: unknown }[]>();

  constructor(
    private readonly store: Pick<RolloutRepository, 'clusterMembers'>,
    private readonly rolloutNodes: RolloutNodeRow[],
    private readonly currentBatch: number,
  ) {}

  async forNode(node: RolloutNodeRow): Promise<string[]> {
    if (!node.cluster) return [];
    let members = this.members.get(node.cluster);
    if (!members) {
      members = await this.store.clusterMembers(node.cluster);
      this.members.set(node.cluster, members);
    }
    const mine = (node.facts as NodeFacts | null)?.pveManagerVersion ?? '0';
    const inRollout = new Map(this.rolloutNodes.map((n) => [n.node, n]));
    return (
      members
        .filter((m) => m.name !== node.node)
        .map((m) => {
          const facts = m.facts as NodeFacts | null;
          return {
            name: m.name,
            version: facts?.pveManagerVersion ?? '0',
            inMaintenance: !!facts?.ha?.maintenance,
            ro: inRollout.get(m.name),
          };
        })
        // Nodes of this rollout are judged by its own state (their stored facts may predate leaving maintenance).
        .filter((c) => c.ro || !c.inMaintenance)
        // Not in flight, not failed (failed nodes stay in maintenance), not about to start in this batch.
        .filter(
          (c) =>
            !c.ro || c.ro.state === 'done' || c.ro.state === 'skipped' || (c.ro.state === 'pending' && c.ro.batch !== this.currentBatch),
        )
        .filter((c) => compareVersions(c.version, mine) >= 0)
        .map((c) => c.name)
        .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    );
  }
}
