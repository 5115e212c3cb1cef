import { finiteNumber, isRecord, parseJson, stringOrNull } from '../facts/parse/json';

export interface ClusterStatusNode {
  name: string;
  nodeid: number | null;
  online: boolean;
  local: boolean;
}

export interface ClusterStatus {
  /** The `type: cluster` entry; null on a standalone node (its only entry is itself). */
  cluster: { name: string; quorate: boolean; nodes: number | null } | null;
  nodes: ClusterStatusNode[];
}

/**
 * `pvesh get /cluster/status --output-format json` (pve-outputs §9.1): a `cluster` entry, then one
 * `node` entry per member in hash order, booleans as 1/0. Null when it is not that list.
 */
export function parseClusterStatus(text: string): ClusterStatus | null {
  const list = parseJson(text.trim());
  if (!Array.isArray(list)) return null;
  const status: ClusterStatus = { cluster: null, nodes: [] };
  for (const entry of list) {
    if (!isRecord(entry)) continue;
    if (entry.type === 'cluster') {
      status.cluster = { name: stringOrNull(entry.name) ?? '', quorate: truthy(entry.quorate), nodes: finiteNumber(entry.nodes) };
    } else if (entry.type === 'node' && typeof entry.name === 'string') {
      status.nodes.push({ name: entry.name, nodeid: finiteNumber(entry.nodeid), online: truthy(entry.online), local: truthy(entry.local) });
    }
  }
  status.nodes.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  return status;
}

const truthy = (v: unknown): boolean => v === 1 || v === true || v === '1';
