import type { NodeFacts } from '@pvefleet/jobs';
import type { AnyDesiredField, FixTask } from '../desired-field';
import { DESIRED_FIELDS } from '../desired-fields';
import type { MergedField } from '../merge';
import type { FieldDrift } from './field-drift';

/** One node as a reconcile sees it: its drift as computed now, its merged desired state and its full facts. */
export interface ReconcileNode {
  name: string;
  cluster: string | null;
  facts: NodeFacts | null;
  desired: Record<string, MergedField>;
  drift: readonly FieldDrift[];
}

/** One catalog task a reconcile would submit, for one node and field. */
export interface PlannedFix extends FixTask {
  node: string;
  field: string;
}

/** A drifting field a reconcile leaves alone, and why. */
export interface SkippedFix {
  node: string;
  field: string;
  reason: string;
}

export interface FixSelection {
  /** Only these fields (all when absent). */
  fields?: readonly string[];
  /** `node\0field` pairs that already have an unfinished reconcile task: never a second one. */
  busy: ReadonlySet<string>;
}

export const busyKey = (node: string, field: string) => `${node}\u0000${field}`;

/**
 * The catalog tasks that converge the drifting `enforce` fields of these nodes, from each field's
 * own `fix`. Compliant and unknown fields get nothing; `report` fields, fields already being fixed
 * and fields with nothing to run are listed as skipped. A cluster field is fixed once per cluster,
 * through its first quorate node by name (the others are skipped, naming it).
 */
export function planFixes(
  nodes: readonly ReconcileNode[],
  selection: FixSelection,
  fields: readonly AnyDesiredField[] = DESIRED_FIELDS,
): { fixes: PlannedFix[]; skipped: SkippedFix[] } {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const fixes: PlannedFix[] = [];
  const skipped: SkippedFix[] = [];
  /** Cluster fields, gathered per cluster and field before one node is chosen. */
  const perCluster = new Map<string, { field: AnyDesiredField; cluster: string; nodes: ReconcileNode[] }>();

  for (const node of [...nodes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    for (const d of node.drift) {
      if (d.status !== 'drift' || (selection.fields && !selection.fields.includes(d.field))) continue;
      const field = byKey.get(d.field);
      const skip = (reason: string) => skipped.push({ node: node.name, field: d.field, reason });
      if (d.mode === 'report') skip('report mode: drift is shown, nothing runs');
      else if (!field?.fix) skip('no catalog task enforces this field');
      else if (field.scope === 'cluster' && node.cluster !== null) {
        const key = busyKey(node.cluster, d.field);
        const group = perCluster.get(key) ?? { field, cluster: node.cluster, nodes: [] };
        group.nodes.push(node);
        perCluster.set(key, group);
      } else if (selection.busy.has(busyKey(node.name, d.field))) skip('a reconcile task for this field is still queued or running');
      else fixes.push(...fixesOf(field, node, skip));
    }
  }

  for (const { field, cluster, nodes: members } of perCluster.values()) {
    const skipAll = (reason: string) => {
      for (const n of members) skipped.push({ node: n.name, field: field.key, reason });
    };
    if (members.some((n) => selection.busy.has(busyKey(n.name, field.key)))) {
      skipAll(`a reconcile task for this field is still queued or running in cluster ${cluster}`);
      continue;
    }
    const through = members.find((n) => n.facts?.cluster?.quorate === true);
    if (!through) {
      skipAll(`no quorate node of cluster ${cluster} among the drifting ones: a cluster-wide file needs quorum`);
      continue;
    }
    fixes.push(...fixesOf(field, through, (reason) => skipped.push({ node: through.name, field: field.key, reason })));
    for (const n of members) {
      if (n !== through) skipped.push({ node: n.name, field: field.key, reason: `cluster ${cluster} is fixed through ${through.name}` });
    }
  }
  return { fixes, skipped };
}

function fixesOf(field: AnyDesiredField, node: ReconcileNode, skip: (reason: string) => void): PlannedFix[] {
  const desired = node.desired[field.key] as MergedField | undefined;
  if (!desired || !field.fix) return [];
  if (!node.facts) {
    skip('no facts to plan the fix from');
    return [];
  }
  const tasks = field.fix(desired.value, node.facts);
  if (!tasks.length) skip('its kind has nothing to run for this difference');
  return tasks.map((t) => ({ ...t, node: node.name, field: field.key }));
}

/**
 * Destructive fixes not covered by a confirmation naming their node and exactly their devices
 * (in any order): a reconcile with any of these runs nothing.
 */
export function unconfirmedDestroys(
  fixes: readonly PlannedFix[],
  confirm: readonly { node: string; devices: readonly string[] }[],
): { node: string; field: string; devices: string[] }[] {
  const same = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
  return fixes
    .filter((f) => f.destroys?.length && !confirm.some((c) => c.node === f.node && same(c.devices, f.destroys ?? [])))
    .map((f) => ({ node: f.node, field: f.field, devices: [...(f.destroys ?? [])] }));
}
