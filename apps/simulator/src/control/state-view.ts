import type { SimNode } from '../model/node';
import { readRepositories, enabledChannels } from '../model/repositories';
import { upgradable } from '../model/apt';
import { knownUnits, unitState } from '../model/services';
import { sourceRows } from '../model/chrony';
import { decodeCert, certFingerprint } from '../model/certificate';
import { diskUsage } from '../model/disks';
import { haSid } from '../model/guests';
import { parseStorageCfg } from '../model/storage-cfg';
import { smartState } from '../model/smart';
import { managementReachable } from '../model/network';
import { servedPem } from '../model/pveproxy-tls';

function servedFingerprint(node: SimNode): string | null {
  const pem = servedPem(node);
  return pem ? certFingerprint(pem) : null;
}

/** A plain-JSON snapshot of one node, for test assertions and the HTTP API. */
export function nodeState(node: SimNode) {
  const repos = readRepositories(node.fs);
  const cert = (path: string) => {
    const pem = node.fs.tryRead(path);
    const info = pem ? decodeCert(pem) : undefined;
    if (!pem || !info) return undefined;
    return { ...info, fingerprint: certFingerprint(pem), daysLeft: Math.floor((info.notAfter * 1000 - node.sim.now()) / 86400_000) };
  };
  const cluster = node.cluster;
  return {
    name: node.name,
    cluster: cluster.name,
    standalone: cluster.standalone,
    power: node.power,
    downReason: node.downReason ?? null,
    pveVersion: node.packages.get('pve-manager') ?? null,
    pveMajor: node.pveMajor,
    debian: { major: node.debianMajor, codename: node.codename },
    runningKernel: node.runningKernel,
    installedKernels: node.installedKernels(),
    nextBootKernel: node.nextBootKernel(),
    pinnedKernel: node.pinnedKernel() ?? null,
    rebootRequired: node.rebootRequired,
    bootId: node.bootId,
    bootTime: node.bootTime,
    uptimeSeconds: Math.floor(node.uptimeSeconds()),
    packages: node.packages.toObject(),
    upgradable: upgradable(node).map(({ name, from, to }) => ({ name, from, to })),
    repositories: { entries: repos, ...enabledChannels(repos) },
    services: Object.fromEntries(knownUnits(node).map((u) => [u, unitState(node, u)])),
    time: { daemon: node.timesync, synced: node.clockSynced(), sources: sourceRows(node).map((r) => ({ name: r.name, state: r.state })) },
    certificates: {
      pveproxy: cert('/etc/pve/local/pveproxy-ssl.pem') ?? null,
      pveSsl: cert('/etc/pve/local/pve-ssl.pem') ?? null,
      /** What a TLS client gets on port 8006 (null when pveproxy is not running). */
      servedFingerprint: servedFingerprint(node),
    },
    disks: node.disks.map((d) => ({
      name: d.name,
      size: d.size,
      model: d.model,
      serial: d.serial,
      used: diskUsage(d, node.zpools.values()) ?? null,
      smart: smartState(node, d),
    })),
    lvm: {
      vgs: [...node.lvm.vgs.values()].map((g) => ({
        name: g.name,
        pvs: g.pvs,
        size: node.lvm.vgSize(g.name),
        free: node.lvm.vgFree(g.name),
      })),
      lvs: node.lvm.lvs.map((l) => ({ name: l.name, vg: l.vg, kind: l.kind, size: l.size, pool: l.pool ?? null })),
    },
    network: { reachable: managementReachable(node), interfacesDown: [...node.interfacesDown].sort() },
    heldPackages: [...node.heldPackages].sort(),
    timers: [...node.transientTimers.keys()].sort(),
    pools: [...node.zpools.values()].map((p) => ({
      name: p.name,
      vdevs: p.vdevs,
      ashift: p.ashift,
      properties: Object.fromEntries(p.properties),
      health: p.health,
    })),
    storage: parseStorageCfg(node.fs.tryRead('/etc/pve/storage.cfg') ?? ''),
    guests: cluster
      .guestsOn(node.name)
      .map((g) => ({ vmid: g.vmid, type: g.type, name: g.name, status: g.status, ha: g.ha, haSid: g.ha ? haSid(g) : null })),
    maintenance: node.maintenance,
    quorate: cluster.quorateFor(node),
    ceph: cluster.ceph ? { flags: [...cluster.ceph.flags].sort(), osds: cluster.ceph.osdsOf(node.name) } : null,
    faults: {
      ...node.faults,
      commands: node.faults.commands.map((f) => ({
        id: f.id,
        match: f.match.source,
        action: f.action,
        remaining: f.remaining ?? null,
        hits: f.hits,
      })),
    },
    counters: node.counters,
    changedFiles: node.fs.changedPaths(),
  };
}

export type NodeState = ReturnType<typeof nodeState>;
