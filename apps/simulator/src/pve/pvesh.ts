import type { NodeProgram, SimNode } from '../model/node';
import type { CommandContext } from '../shell/command';
import { out } from '../shell/command';
import { canonicalJson } from '../util/text';
import { byIdName, diskUsage } from '../model/disks';
import { repoId } from './identity';
import { die, pveOptions } from './util';
import { clusterResources } from './cluster-resources';
import { memoryUsed, NODE_MEMORY, type Guest } from '../model/guests';
import { apiMigrate } from './migrate';

/** `pvesh get` for the read-only endpoints pvefleet polls; JSON is canonical (sorted keys). */
export const pveshPrograms: Record<string, NodeProgram> = {
  pvesh: (node, ctx) => {
    const [verb, path, ...rest] = ctx.argv.slice(1);
    const { opts } = pveOptions(rest);
    if (verb === 'create' && path) return create(node, ctx, path.replace(/\/+$/, ''), opts);
    if (verb !== 'get' || !path) return die(ctx, `pvesh: only 'get' and 'create …/migrate' are simulated`);
    const value = get(node, path.replace(/\/+$/, ''), opts);
    if (value === undefined) return die(ctx, `No '${path.replace(/^\//, '')}' handler defined for GET`);
    return emit(ctx, value);
  },
};

function emit(ctx: CommandContext, value: unknown): number {
  out(ctx, canonicalJson(value) + '\n');
  return 0;
}

function get(node: SimNode, path: string, opts: Map<string, string>): unknown {
  const c = node.cluster;
  if (path === '/cluster/status') {
    if (c.standalone)
      return [{ id: `node/${node.name}`, ip: node.ip, level: '', local: 1, name: node.name, nodeid: 0, online: 1, type: 'node' }];
    const members = new Set(c.membersSeenBy(node).map((n) => n.name));
    return [
      { id: 'cluster', name: c.name, nodes: c.nodes.length, quorate: c.quorateFor(node) ? 1 : 0, type: 'cluster', version: c.nodes.length },
      ...c.nodes.map((n) => ({
        id: `node/${n.name}`,
        ip: n.ip,
        ...(members.has(n.name) ? { level: '' } : {}),
        local: n === node ? 1 : 0,
        name: n.name,
        nodeid: n.nodeId,
        online: members.has(n.name) ? 1 : 0,
        type: 'node',
      })),
    ];
  }
  if (path === '/cluster/resources') return clusterResources(node, opts.get('type'));
  const m = /^\/nodes\/([^/]+)(\/.*)?$/.exec(path);
  if (path === '/nodes')
    return c.nodes.map((n) => ({
      id: `node/${n.name}`,
      node: n.name,
      status: n.power === 'online' ? 'online' : 'offline',
      type: 'node',
      ...(n.power === 'online'
        ? { uptime: Math.floor(n.uptimeSeconds()), maxcpu: n.cpus, mem: memoryUsed(c.guestsOn(n.name)), maxmem: NODE_MEMORY.total }
        : {}),
    }));
  if (!m) return undefined;
  const target = m[1] === 'localhost' ? node : c.node(m[1]);
  if (!target) return undefined;
  switch (m.at(2) ?? '') {
    case '/status':
      return {
        'boot-info': { mode: 'legacy-bios' },
        cpu: 0,
        cpuinfo: {
          cores: target.cpus / 2,
          cpus: target.cpus,
          hvm: '1',
          mhz: '2400.000',
          model: 'Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz',
          sockets: 1,
          user_hz: 100,
        },
        'current-kernel': {
          machine: 'x86_64',
          release: target.runningKernel,
          sysname: 'Linux',
          version: `#1 SMP PREEMPT_DYNAMIC PMX ${target.runningKernel.replace(/-pve$/, '')}`,
        },
        idle: 0,
        ksm: { shared: 0 },
        kversion: `Linux ${target.runningKernel}`,
        loadavg: ['0.16', '0.10', '0.02'],
        memory: nodeMemory(c.guestsOn(target.name)),
        pveversion: `pve-manager/${target.packages.get('pve-manager')}/${repoId(target.packages.get('pve-manager') ?? '')}`,
        rootfs: { avail: 59000000000, free: 63000000000, total: 100861726720, used: 37861726720 },
        swap: { free: 8589930496, total: 8589930496, used: 0 },
        uptime: Math.floor(target.uptimeSeconds()),
        wait: 0,
      };
    case '/qemu':
    case '/lxc':
      return c.guestsOn(target.name, m[2] === '/qemu' ? 'qemu' : 'lxc').map((g) => ({
        vmid: g.vmid,
        name: g.name,
        status: g.status,
        maxmem: g.memMb * 1048576,
        maxdisk: g.diskGb * 1073741824,
        type: g.type,
      }));
    case '/disks/list': {
      const list = target.disks.map((d) => {
        const used = diskUsage(d, target.zpools.values());
        return {
          by_id_link: `/dev/disk/by-id/${byIdName(d)}`,
          devpath: `/dev/${d.name}`,
          gpt: d.partitions.length ? 1 : 0,
          health: 'PASSED',
          model: d.model.replace(/ /g, '_'),
          osdid: -1,
          'osdid-list': null,
          rpm: d.rota ? 5400 : 0,
          serial: d.serial,
          size: d.size,
          type: d.kind,
          vendor: d.kind === 'nvme' ? 'unknown' : 'ATA',
          wearout: d.rota ? 'N/A' : 98,
          wwn: d.wwn,
          ...(used ? { used } : {}),
        };
      });
      return opts.get('type') === 'unused' ? list.filter((d) => !('used' in d)) : list;
    }
    default:
      return undefined;
  }
}

function nodeMemory(guests: Guest[]) {
  const used = memoryUsed(guests);
  return { free: NODE_MEMORY.total - used, total: NODE_MEMORY.total, used };
}

/**
 * `pvesh create /nodes/{node}/{qemu|lxc}/{vmid}/migrate --target T [--online 1|--restart 1]`: the API
 * call behind `qm migrate`, from any member (the API forwards it to {node}). It starts the migration
 * task and prints its UPID; the guest moves when the task is done.
 */
function create(node: SimNode, ctx: CommandContext, path: string, opts: Map<string, string>): number {
  const m = /^\/nodes\/([^/]+)\/(qemu|lxc)\/(\d+)\/migrate$/.exec(path);
  if (!m) return die(ctx, `No '${path.replace(/^\//, '')}' handler defined for POST`);
  return apiMigrate(node, ctx, { node: m[1], type: m[2] as Guest['type'], vmid: Number(m[3]) }, opts);
}
