import { ClusterSpec, ResolvedOptions } from './options';
import { SimCluster } from './model/cluster';
import { seedGuests } from './model/guests';
import { SimNode } from './model/node';
import { pmxcfsSeed } from './model/seed-pmxcfs';
import type { SimContext } from './model/sim-context';

interface PlannedCluster {
  name: string;
  standalone: boolean;
  pveMajor: 8 | 9;
  ceph: boolean;
  names: string[];
  guestsPerNode: { vms: number; cts: number };
}

/** Expands options into clusters (standalone nodes become clusters of one without corosync). */
function plan(o: ResolvedOptions): PlannedCluster[] {
  const out: PlannedCluster[] = o.clusters.map((c: ClusterSpec) => ({
    name: c.name,
    standalone: false,
    pveMajor: c.pveMajor ?? 8,
    ceph: c.ceph ?? false,
    names: Array.isArray(c.nodes) ? c.nodes : Array.from({ length: c.nodes }, (_, i) => `${c.namePrefix ?? `${c.name}-n`}${i + 1}`),
    guestsPerNode: c.guestsPerNode ?? { vms: 2, cts: 1 },
  }));
  const sa = o.standalone;
  if (sa) {
    for (let i = 1; i <= sa.count; i++) {
      const name = `${sa.namePrefix ?? 'pve-sa'}${i}`;
      out.push({ name, standalone: true, pveMajor: sa.pveMajor ?? 8, ceph: false, names: [name], guestsPerNode: { vms: 1, cts: 1 } });
    }
  }
  const all = out.flatMap((c) => c.names);
  const dup = all.find((n, i) => all.indexOf(n) !== i);
  if (dup) throw new Error(`duplicate node name: ${dup}`);
  for (const n of all)
    if (!/^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/.test(n)) throw new Error(`invalid node name (pve-node format): ${n}`);
  return out;
}

/** Creates every cluster and node with its seeded state; no sockets yet. */
export function buildWorld(sim: SimContext): { clusters: SimCluster[]; nodes: SimNode[] } {
  const clusters: SimCluster[] = [];
  const nodes: SimNode[] = [];
  let globalIndex = 0;
  plan(sim.options).forEach((p, ci) => {
    const guests = seedGuests(p.names, p.guestsPerNode, !p.standalone);
    const ips = p.names.map((_, i) => `10.${10 + (ci % 200)}.${Math.floor((i + 1) / 250)}.${((i + 1) % 250) + 1}`);
    const seed = pmxcfsSeed({
      clusterName: p.name,
      standalone: p.standalone,
      nodes: p.names.map((name, i) => ({ name, fqdn: `${name}.${sim.options.domain}`, ip: ips[i], nodeId: i + 1 })),
      guests,
      createdAt: sim.now(),
      acmeCertificate: sim.options.acmeCertificate,
      ceph: p.ceph,
    });
    const cluster = new SimCluster(sim, p.name, p.standalone, seed, p.names, p.ceph);
    for (const g of guests) cluster.guests.set(g.vmid, g);
    p.names.forEach((name, i) => {
      const node = new SimNode(sim, {
        name,
        cluster,
        globalIndex: ++globalIndex,
        nodeId: i + 1,
        ip: ips[i],
        pveMajor: p.pveMajor,
        ceph: p.ceph,
      });
      cluster.nodes.push(node);
      nodes.push(node);
    });
    clusters.push(cluster);
  });
  return { clusters, nodes };
}
