import { CowStore } from '../vfs/store';
import type { FsEntry } from '../vfs/store';
import { CephState } from './ceph';
import type { Guest } from './guests';
import type { SimNode } from './node';
import type { SimContext } from './sim-context';

/**
 * A PVE cluster (or a standalone node, which is a cluster of one without
 * corosync): membership, quorum, the shared /etc/pve, guests, HA and Ceph.
 */
export class SimCluster {
  readonly nodes: SimNode[] = [];
  readonly pmxcfs: CowStore<SimNode>;
  readonly guests = new Map<number, Guest>();
  readonly maintenance = new Set<string>();
  readonly ceph?: CephState;
  /** Fault: every member sees itself alone (a partitioned corosync ring). */
  quorumBroken = false;
  ringSeq = 0x685;
  readonly createdAt: number;

  constructor(
    readonly sim: SimContext,
    readonly name: string,
    readonly standalone: boolean,
    seed: Map<string, FsEntry<SimNode>>,
    nodeNames: string[],
    withCeph: boolean,
  ) {
    this.pmxcfs = new CowStore(seed);
    this.createdAt = sim.now();
    if (withCeph) this.ceph = new CephState(name, nodeNames, sim.now());
  }

  node(name: string): SimNode | undefined {
    return this.nodes.find((n) => n.name === name);
  }

  online(): SimNode[] {
    return this.nodes.filter((n) => n.power === 'online');
  }

  get expectedVotes(): number {
    return this.nodes.length;
  }

  /** Members as `viewer` sees them: the online nodes, or only itself when quorum is broken. */
  membersSeenBy(viewer: SimNode): SimNode[] {
    if (this.quorumBroken) return viewer.power === 'online' ? [viewer] : [];
    return this.online();
  }

  quorateFor(viewer: SimNode): boolean {
    if (this.standalone) return true;
    return this.membersSeenBy(viewer).length * 2 > this.expectedVotes;
  }

  guestsOn(node: string, type?: Guest['type']): Guest[] {
    return [...this.guests.values()].filter((g) => g.node === node && (!type || g.type === type)).sort((a, b) => a.vmid - b.vmid);
  }

  /** Called when a node goes down or comes up: a new ring, new Ceph ages. */
  membershipChanged(): void {
    this.ringSeq++;
    if (this.ceph) {
      this.ceph.lastOsdChange = this.sim.now();
      this.ceph.osdMapEpoch++;
    }
  }
}
