/** One section of `/etc/pve/storage.cfg` (SectionConfig: `type: id`, then indented `key value` lines). */
export interface StorageSection {
  type: string;
  id: string;
  props: Partial<Record<string, string>>;
}

/** The section for `id`, or undefined when the cluster has no such storage. */
export function findStorageSection(text: string, id: string): StorageSection | undefined {
  let current: StorageSection | undefined;
  for (const line of text.split('\n')) {
    const head = /^(\S+):\s*(\S+)\s*$/.exec(line);
    if (head) {
      if (current) return current;
      current = head[2] === id ? { type: head[1], id, props: {} } : undefined;
      continue;
    }
    const prop = /^\s+(\S+)(?:\s+(.*?))?\s*$/.exec(line);
    // A key without a value is a flag set to 1 (SectionConfig writes booleans that way too).
    if (prop && current) current.props[prop[1]] = prop.at(2) ?? '1';
  }
  return current;
}

/**
 * Why an existing storage entry cannot serve as this pool's storage, or undefined when it can: a
 * zfspool storage of this pool (the same pool name on another node of the cluster). Which nodes it
 * lists is not a conflict: this node is added to them (`nodesWith`).
 */
export function storageConflict(section: StorageSection, pool: string): string | undefined {
  if (section.type !== 'zfspool') return `storage ${section.id} already exists as a ${section.type} storage`;
  if (section.props.pool !== pool)
    return `storage ${section.id} already exists for ZFS pool ${section.props.pool ?? '(none)'}, not ${pool}`;
  return undefined;
}

/** The `nodes` list of a section; undefined when unset, which PVE reads as every node of the cluster. */
export function storageNodes(section: StorageSection): string[] | undefined {
  return section.props.nodes
    ?.split(',')
    .map((n) => n.trim())
    .filter(Boolean);
}

/** The section is enabled on `node`: it lists it, or lists no nodes at all. */
export function enabledOn(section: StorageSection, node: string): boolean {
  const nodes = storageNodes(section);
  return !nodes || nodes.includes(node);
}
