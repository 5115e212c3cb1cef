import { cephFsid } from './seed-pmxcfs';

/** One Ceph cluster spanning the PVE cluster's nodes: 2 OSDs per node, mons on the first three. */
export class CephState {
  readonly fsid: string;
  readonly flags = new Set<string>();
  readonly mons: string[];
  readonly osdMap = new Map<string, number[]>();
  osdMapEpoch = 120;
  readonly createdAt: number;
  /** When each node's OSDs last went down or came up (for the "(since …)" ages). */
  lastOsdChange: number;

  constructor(clusterName: string, nodeNames: string[], now: number) {
    this.fsid = cephFsid(clusterName);
    this.mons = nodeNames.slice(0, 3);
    nodeNames.forEach((n, i) => this.osdMap.set(n, [2 * i, 2 * i + 1]));
    this.createdAt = now - 21 * 86400_000;
    this.lastOsdChange = now - 5 * 3600_000;
  }

  osdsOf(node: string): number[] {
    return this.osdMap.get(node) ?? [];
  }

  get totalOsds(): number {
    let n = 0;
    for (const ids of this.osdMap.values()) n += ids.length;
    return n;
  }
}

export const VALID_OSD_FLAGS = [
  'full',
  'pause',
  'noup',
  'nodown',
  'noout',
  'noin',
  'nobackfill',
  'norebalance',
  'norecover',
  'noscrub',
  'nodeep-scrub',
  'notieragent',
  'nosnaptrim',
  'pglog_hardlimit',
  'noautoscale',
];
