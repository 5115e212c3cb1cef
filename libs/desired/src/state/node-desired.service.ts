import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError, type Node } from '@pvefleet/db';
import { desiredField, mergeDesired, type FieldMap, type MergedField, type SelectableNode } from '@pvefleet/desired';
import { NodesService } from '@pvefleet/nodes';
import { DesiredChangeNotifier } from './desired-change-notifier';
import type { StoredOverride } from './desired-documents';
import { NodeOverrideRepository } from './node-override.repository';
import { ProfileRepository } from './profile.repository';

/** The node as selectors see it: its labels, and the cluster its facts report (null before any). */
export function selectableNode(node: Pick<Node, 'name' | 'labels' | 'facts'>): SelectableNode {
  const facts = node.facts as { cluster?: { name?: unknown } | null } | null;
  const cluster = facts?.cluster?.name;
  return { name: node.name, labels: node.labels as Record<string, string>, cluster: typeof cluster === 'string' ? cluster : null };
}

/** Per-node overrides, and a node's merged desired state with where each field came from. */
@Injectable()
export class NodeDesiredService {
  constructor(
    @Inject(NodesService) private readonly nodes: NodesService,
    @Inject(ProfileRepository) private readonly profiles: ProfileRepository,
    @Inject(NodeOverrideRepository) private readonly overrides: NodeOverrideRepository,
    @Inject(DesiredChangeNotifier) private readonly notifier: DesiredChangeNotifier,
  ) {}

  async override(nodeName: string): Promise<StoredOverride> {
    const node = await this.nodes.find(nodeName);
    const o = await this.overrides.find(node.id);
    if (!o) throw new NotFoundError(`node '${nodeName}' has no override`);
    return o;
  }

  async putOverride(nodeName: string, fields: FieldMap, author: string): Promise<StoredOverride> {
    const node = await this.nodes.find(nodeName);
    const saved = await this.overrides.put({ id: node.id, name: node.name }, fields, author);
    await this.notifier.changed(`the override of node '${nodeName}' (revision ${saved.revision})`);
    return saved;
  }

  async removeOverride(nodeName: string, author: string): Promise<void> {
    const node = await this.nodes.find(nodeName);
    await this.overrides.remove({ id: node.id, name: node.name }, author);
    await this.notifier.changed(`removing the override of node '${nodeName}'`);
  }

  /** Every field the node's profiles and override declare, merged, with its source. */
  async desired(nodeName: string): Promise<Record<string, MergedField>> {
    const node = await this.nodes.find(nodeName);
    const [profiles, override] = await Promise.all([this.profiles.all(), this.overrides.find(node.id)]);
    return mergeDesired(selectableNode(node), profiles, override ?? null);
  }

  /**
   * The `upgradePolicy` each of these nodes declares (undefined: none), for a rollout that does not
   * say: profiles read once, overrides in one statement.
   */
  async upgradePolicies(nodes: readonly Pick<Node, 'id' | 'name' | 'labels' | 'facts'>[]): Promise<Map<string, UpgradePolicy | undefined>> {
    const [profiles, overrides] = await Promise.all([this.profiles.all(), this.overrides.findMany(nodes.map((n) => n.id))]);
    const schema = desiredField('upgradePolicy')?.schema;
    return new Map(
      nodes.map((n) => {
        // A node may declare no upgradePolicy: the lookup may miss.
        const fields: Partial<Record<string, MergedField>> = mergeDesired(selectableNode(n), profiles, overrides.get(n.id) ?? null);
        const merged = fields.upgradePolicy;
        // Stored values were parsed when saved; parsed again so a rollout never reads another shape.
        const parsed = merged && schema ? schema.safeParse(merged.value) : undefined;
        return [n.name, parsed?.success ? (parsed.data as UpgradePolicy) : undefined];
      }),
    );
  }
}

/** The upgrade policy a rollout takes from desired state (the upgradePolicy field's value). */
export interface UpgradePolicy {
  reboot: 'never' | 'if-required' | 'always';
  downloadOnly: boolean;
}
