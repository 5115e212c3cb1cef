import type { DiskFacts, DiskSmart, NodeFacts } from '../../node-facts';
import type { FactSections } from './facts-script';
import { parseOsRelease, parsePveManagerVersion } from './parse/basics';
import { parseAcme } from './parse/acme';
import { parseCertificate } from './parse/certificate';
import { parseCluster } from './parse/cluster';
import { parseDisks } from './parse/disks';
import { parseHa } from './parse/ha';
import { parseHeldPackages } from './parse/held-packages';
import { parseKernels } from './parse/kernels';
import { parseLvm } from './parse/lvm';
import { parseNetwork } from './parse/network-interfaces';
import { parsePools } from './parse/pools';
import { parseSmartSection } from './parse/smart';
import { parseSourceFiles } from './parse/sources';
import { parseStatusCfgSection } from './parse/status-cfg';
import { parseStorages } from './parse/storages';
import { parseSwappiness } from './parse/swappiness';
import { parseTime } from './parse/time';
import { parseUpgradable } from './parse/upgradable';
import { parseZfsArc } from './parse/zfs-arc';

/** Turns the facts script's sections into NodeFacts; `collectedAt` is when the script ran. */
export function parseFacts(s: FactSections, collectedAt: number): NodeFacts {
  const os = parseOsRelease(s.osRelease);
  const pveversion = s.pveversion.trim() || null;
  const pveManagerVersion = pveversion ? parsePveManagerVersion(pveversion) : null;
  const hostname = s.hostname.trim();
  return {
    collectedAt,
    hostname,
    kernel: s.kernel.trim(),
    pveversion,
    pveManagerVersion,
    pveMajor: pveManagerVersion ? Number.parseInt(pveManagerVersion, 10) : null,
    os: { id: os.ID ?? '', versionId: os.VERSION_ID ?? '', codename: os.VERSION_CODENAME ?? '', prettyName: os.PRETTY_NAME ?? '' },
    uptimeSeconds: Math.floor(Number.parseFloat(s.uptime.trim().split(/\s+/)[0] ?? '0') || 0),
    bootId: s.bootId.trim() || null,
    kernels: parseKernels(s),
    upgradable: parseUpgradable(s.upgradable),
    aptSources: parseSourceFiles(s.aptSources),
    time: parseTime(s),
    certificate: parseCertificate(s.certInfo),
    acme: parseAcme(s),
    disks: withSmart(parseDisks(s.disks), parseSmartSection(s.smart)),
    pools: parsePools(s),
    storages: parseStorages(s.storages),
    lvm: parseLvm(s),
    cluster: parseCluster(s.pvecm),
    ha: parseHa(s.ha, hostname),
    swappiness: parseSwappiness(s.swappiness, s.sysctlSwappiness),
    zfsArc: parseZfsArc(s.zfsArcMax, s.zfsModprobeConf),
    heldPackages: parseHeldPackages(s.heldPackages),
    metricServers: parseStatusCfgSection(s.statusCfg),
    network: parseNetwork(s.networkFiles, s.networkLinks),
  };
}

/** Each disk with what smartctl said about it (by its device path), when the script read it. */
function withSmart(disks: DiskFacts[] | null, smart: Map<string, DiskSmart>): DiskFacts[] | null {
  return (
    disks?.map((d) => {
      const found = smart.get(d.path);
      return found ? { ...d, smart: found } : d;
    }) ?? null
  );
}
