import { finiteNumber, isRecord, parseJson, scalarText } from '../facts/parse/json';

export interface OsdState {
  id: number;
  name: string;
  status: string;
}

/**
 * `ceph osd tree --format json`: CRUSH buckets and OSDs in one `nodes` list; a host bucket names
 * its OSDs in `children`. Returns each host's OSDs by host name, null when it is not that tree.
 */
export function parseOsdTree(text: string): Map<string, OsdState[]> | null {
  const tree = parseJson(text.trim());
  if (!isRecord(tree) || !Array.isArray(tree.nodes)) return null;
  const entries = tree.nodes.filter(isRecord);
  const osds = new Map<number, OsdState>();
  for (const e of entries) {
    const id = finiteNumber(e.id);
    if (e.type === 'osd' && id !== null)
      osds.set(id, { id, name: scalarText(e.name) ?? `osd.${id}`, status: scalarText(e.status) ?? 'unknown' });
  }
  const hosts = new Map<string, OsdState[]>();
  for (const e of entries) {
    if (e.type !== 'host' || typeof e.name !== 'string') continue;
    const children = Array.isArray(e.children) ? e.children.map(finiteNumber) : [];
    hosts.set(
      e.name,
      children
        .map((id) => (id === null ? undefined : osds.get(id)))
        .filter((o): o is OsdState => o !== undefined)
        .sort((a, b) => a.id - b.id),
    );
  }
  return hosts;
}
