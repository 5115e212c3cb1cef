import type { SimNode } from '../model/node';
import { memoryUsed, NODE_MEMORY, type Guest } from '../model/guests';

/**
 * `pvesh get /cluster/resources [--type node|vm]` (pve-manager API2/Cluster.pm): one entry per
 * node and per guest, with memory in bytes. Offline nodes carry no usage figures, as on PVE.
 * Guests' `mem` is what they use now (running: their configured memory, stopped: 0).
 */
export function clusterResources(viewer: SimNode, type: string | undefined): unknown[] | undefined {
  if (type !== undefined && type !== 'node' && type !== 'vm') return undefined;
  const c = viewer.cluster;
  const members = new Set(c.membersSeenBy(viewer).map((n) => n.name));
  const nodes = c.nodes.map((n) => {
    const online = members.has(n.name);
    const base = { id: `node/${n.name}`, node: n.name, status: online ? 'online' : 'offline', type: 'node', level: '', 'cgroup-mode': 2 };
    if (!online) return base;
    return {
      ...base,
      cpu: 0.02,
      maxcpu: n.cpus,
      mem: memoryUsed(c.guestsOn(n.name)),
      maxmem: NODE_MEMORY.total,
      disk: 37861726720,
      maxdisk: 100861726720,
      uptime: Math.floor(n.uptimeSeconds()),
    };
  });
  const guests = [...c.guests.values()].sort((a, b) => a.vmid - b.vmid).map(guestEntry);
  if (type === 'node') return nodes;
  if (type === 'vm') return guests;
  return [...nodes, ...guests];
}

function guestEntry(g: Guest) {
  const running = g.status === 'running';
  return {
    id: `${g.type}/${g.vmid}`,
    vmid: g.vmid,
    name: g.name,
    node: g.node,
    status: g.status,
    type: g.type,
    template: 0,
    maxmem: g.memMb * 1048576,
    mem: running ? g.memMb * 1048576 : 0,
    maxcpu: g.type === 'qemu' ? 2 : 1,
    cpu: running ? 0.01 : 0,
    maxdisk: g.diskGb * 1073741824,
    disk: 0,
    uptime: running ? 3600 : 0,
    ...(g.ha ? { hastate: running ? 'started' : 'stopped' } : {}),
  };
}
