/**
 * What pvefleet knows about a node, from its last `facts` collection. Every catalog job refreshes
 * these at the start of its task and plans from them; dry runs plan from the stored copy.
 * Sections a plain Debian host lacks (no PVE tools) are null, never guessed.
 */
export interface NodeFacts {
  /** Epoch ms when these were read: the "now" plans compare expiry dates against. */
  collectedAt: number;
  hostname: string;
  kernel: string;
  /** `pveversion` output, null on a plain Debian host. */
  pveversion: string | null;
  /** e.g. "8.4.11" from `pve-manager/8.4.11/…`. */
  pveManagerVersion: string | null;
  /** 8 or 9 (from pve-manager), null without PVE. */
  pveMajor: number | null;
  os: { id: string; versionId: string; codename: string; prettyName: string };
  uptimeSeconds: number;
  bootId: string | null;
  kernels: KernelFacts | null;
  /** Packages `apt list --upgradable` reports (from the last `apt-get update`). */
  upgradable: UpgradablePackage[] | null;
  /** Every APT sources file (`/etc/apt/sources.list`, `sources.list.d/*.list|*.sources`) with its content. */
  aptSources: SourceFile[];
  time: TimeFacts;
  certificate: CertificateFacts | null;
  acme: AcmeFacts | null;
  disks: DiskFacts[] | null;
  pools: PoolFacts[] | null;
  storages: StorageFacts[] | null;
  /** LVM's physical volumes and thin pools (`pvs`, `lvs`); null without LVM tools, absent in facts stored before pvefleet read them. */
  lvm?: LvmFacts | null;
  cluster: ClusterFacts | null;
  ha: HaFacts | null;
  /** `vm.swappiness` now and in the sysctl files; null when sysctl gave nothing, absent in facts stored before pvefleet read it. */
  swappiness?: SwappinessFacts | null;
  /** The ZFS ARC limit, live and in /etc/modprobe.d/zfs.conf; null when the zfs module is not loaded, absent in older facts. */
  zfsArc?: ZfsArcFacts | null;
  /** `apt-mark showhold`, sorted; null when apt-mark could not be read, absent in older facts. */
  heldPackages?: string[] | null;
  /** /etc/pve/status.cfg's sections ([] when the file is absent); null without /etc/pve, absent in older facts. */
  metricServers?: MetricServerSection[] | null;
  /**
   * The host network (the seed's Network Configuration): /etc/network/interfaces and what it sources,
   * and the links as they are now; null on a host without /etc/network/interfaces, absent in older facts.
   */
  network?: NetworkFacts | null;
}

export interface SwappinessFacts {
  /** `sysctl -n vm.swappiness`: what the kernel uses now. */
  live: number;
  /**
   * Every sysctl.d line setting vm.swappiness, in the order systemd-sysctl applies them at boot
   * (files by name, an /etc file hiding a /run or /usr/lib one of the same name): the last one wins.
   */
  settings: { path: string; value: number }[];
}

export interface ZfsArcFacts {
  /** /sys/module/zfs/parameters/zfs_arc_max in bytes (0: ZFS's default limit). */
  live: number;
  /** The `zfs_arc_max=` of the last `options zfs` line of /etc/modprobe.d/zfs.conf, null when none sets it. */
  configured: number | null;
  /** /etc/modprobe.d/zfs.conf as it is (its other lines stay when pvefleet sets the limit), null when absent or empty. */
  conf: string | null;
}

/** One section of /etc/pve/status.cfg (PVE's SectionConfig): `type: name`, then `key value` lines. */
export interface MetricServerSection {
  /** `graphite`, `influxdb` (or a type this pvefleet does not write, kept as read). */
  type: string;
  name: string;
  /** The section's properties as written, e.g. { server: '10.0.0.50', port: '2003' }. */
  options: Record<string, string>;
}

export interface KernelFacts {
  running: string;
  /** Installed PVE kernels, version-sorted ascending (`proxmox-boot-tool kernel list`). */
  installed: string[];
  pinned: string | null;
  /** The kernel the next boot runs: the pinned one, else the newest installed. */
  next: string | null;
  rebootRequired: boolean;
}

export interface UpgradablePackage {
  name: string;
  suite: string;
  version: string;
  arch: string;
  from: string;
}

export interface SourceFile {
  path: string;
  content: string;
}

export interface TimeFacts {
  /** The active time daemon, null when neither chrony nor systemd-timesyncd runs. */
  daemon: 'chrony' | 'systemd-timesyncd' | null;
  synced: boolean | null;
  /** chrony: Leap status from `chronyc tracking`, e.g. "Normal", "Not synchronised". */
  leapStatus: string | null;
  /** chrony: the selected (`^*`) source, if any. */
  selectedSource: string | null;
  chronyConf: string | null;
  /** chrony drop-ins under /etc/chrony/sources.d/. */
  chronySources: SourceFile[];
  timesyncdConf: string | null;
  /** Drop-ins under /etc/systemd/timesyncd.conf.d/, in the order systemd reads them (absent in facts read before they were collected). */
  timesyncdSources?: SourceFile[];
}

export interface CertificateFacts {
  /** The custom/ACME certificate (`pveproxy-ssl.pem`); null when the node only has its self-signed one. */
  filename: string;
  subject: string;
  issuer: string;
  san: string[];
  fingerprint: string;
  notBefore: number;
  /** Epoch seconds, as `pvenode cert info` gives it. */
  notAfter: number;
}

export interface AcmeFacts {
  /** The node config's `acme:` property, e.g. { account: "default", domains: ["pve1.example.com"] }. */
  account: string | null;
  domains: string[];
  accounts: string[];
  /**
   * Each domain's entry as PVE reads the node config: `acme: domains=` ones with the `standalone`
   * (HTTP-01) plugin, then `acmedomain0..5` with theirs (`standalone` when unnamed). Absent in facts
   * stored before pvefleet read it.
   */
  domainConfig?: AcmeDomainConfig[];
  /** `pvenode acme plugin list` (`standalone` is always there); null when it could not be read, absent in older facts. */
  plugins?: AcmePluginFacts[] | null;
}

export interface AcmeDomainConfig {
  /** Lower-cased, as PVE orders it. */
  domain: string;
  /** The challenge plugin's id: `standalone` (HTTP-01) or a DNS plugin of plugins.cfg. */
  plugin: string;
  /** The DNS alias the challenge is validated through, when set. */
  alias?: string;
  /** The node-config key holding it: `acme` or `acmedomain0`..`acmedomain5`. */
  key: string;
}

/** One ACME challenge plugin (`/etc/pve/priv/acme/plugins.cfg`); its credentials are never read. */
export interface AcmePluginFacts {
  id: string;
  /** `dns` or `standalone`. */
  type: string;
  /** The acme.sh DNS API (e.g. `cf`), for DNS plugins. */
  api?: string;
}

export interface DiskFacts {
  /** e.g. /dev/sdb */
  path: string;
  /** /dev/disk/by-id/… links to it, when known. */
  byId: string[];
  sizeBytes: number;
  model: string | null;
  serial: string | null;
  /** Why PVE considers the disk in use (`partitions`, `ZFS`, `LVM`, a filesystem type …), null when free. */
  used: string | null;
  /** What `smartctl -H -A` said; absent in facts stored before pvefleet read it. */
  smart?: DiskSmart;
}

/**
 * A disk's S.M.A.R.T. status as `smartctl -H -A` reports it (the seed's Disk Health Monitoring):
 * `PASSED` (or SAS `OK`) with no attribute failing now; `FAILED` (the self-assessment, or an
 * attribute `FAILING_NOW`); `disabled` (`smartctl -s on` enables it); `unavailable` (no SMART
 * capability, a device smartctl cannot open, or no smartctl).
 */
export interface DiskSmart {
  health: 'PASSED' | 'FAILED' | 'disabled' | 'unavailable';
  /** smartctl's lines that decided it, verbatim (the result line and its explanation, failing attributes). */
  lines: string[];
}

export interface PoolFacts {
  name: string;
  health: string;
  sizeBytes: number | null;
  /** Top-level vdevs as `zpool status` shows them: type `disk` for a single device, else mirror/raidz1/2/3. */
  vdevs: { type: string; devices: string[] }[];
  cache: string[];
  log: string[];
}

export interface LvmFacts {
  /** Physical volumes (`/dev/sda3`) and the volume group each belongs to (null: none yet). */
  pvs: { device: string; vg: string | null; sizeBytes: number }[];
  /** Thin pools (`lv_attr` starting `t`), e.g. the installer's `pve/data`. */
  thinPools: { vg: string; name: string; sizeBytes: number }[];
}

export interface StorageFacts {
  id: string;
  type: string;
  status: string;
}

export interface ClusterFacts {
  name: string;
  quorate: boolean;
  expectedVotes: number;
  totalVotes: number;
  /** Members as `pvecm status` lists them (names or addresses), local one included. */
  members: string[];
}

export interface HaFacts {
  quorumOk: boolean;
  masterNode: string | null;
  /** This node's LRM state as `ha-manager status` shows it (e.g. "active", "idle", "maintenance mode"). */
  lrmState: string | null;
  maintenance: boolean;
  /** HA services (e.g. "vm:100") and the node each runs on. */
  services: { sid: string; node: string; state: string }[];
}

export interface NetworkFacts {
  /** /etc/network/interfaces and every file under /etc/network/interfaces.d/, byte-exact (a plan can put them back). */
  files: SourceFile[];
  /** The interfaces ifupdown2 configures from them: the main file, then what its `source` lines include. */
  interfaces: NetworkInterface[];
  /** The interface whose `inet` stanza has the `gateway` (the installer's vmbr0): pvefleet's way in. Null without one. */
  management: string | null;
  /** The links as `ip -j addr` shows them now; null when it could not be read. */
  links: NetworkLink[] | null;
}

/** One interface as the config declares it (old `bridge_ports`-style keys read the same as `bridge-ports`). */
export interface NetworkInterface {
  name: string;
  /** From its options (bridge-ports, bond-slaves, vlan-raw-device), else PVE's names (vmbrN, bondN, X.N); `other`: a NIC. */
  kind: 'loopback' | 'bridge' | 'bond' | 'vlan' | 'other';
  /** Named on an `auto` (or `allow-*`) line: ifreload -a brings it up. */
  auto: boolean;
  /** The `inet` stanza's method: static, manual, dhcp, loopback. */
  method: string;
  /** `address` lines as CIDR (an `address` without a prefix takes `netmask`'s), inet and inet6. */
  addresses: string[];
  /** The `inet` stanza's `gateway`. */
  gateway: string | null;
  /** The file that declares it. */
  file: string;
  bridge: { ports: string[]; vlanAware: boolean; vids: string | null } | null;
  bond: { slaves: string[]; mode: string | null; xmitHashPolicy: string | null; miimon: number | null } | null;
  vlan: { rawDevice: string; id: number } | null;
}

/** One link as `ip -j addr` shows it. */
export interface NetworkLink {
  name: string;
  /** `operstate`: UP, DOWN, UNKNOWN (loopback), LOWERLAYERDOWN. */
  state: string;
  /** The bridge or bond it is a port of. */
  master: string | null;
  /** CIDR, e.g. 10.0.0.11/16. */
  addresses: string[];
}
