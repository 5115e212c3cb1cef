/** A simulated block device and the ZFS pools built on them. */
export interface Partition {
  name: string;
  size: number;
  fstype: string | null;
  mountpoint: string | null;
  parttype?: string;
}

export interface Disk {
  name: string;
  size: number;
  model: string;
  serial: string;
  wwn: string;
  rota: boolean;
  kind: 'ssd' | 'hdd' | 'nvme';
  /** Whole-disk filesystem signature (`ext4`, `LVM2_member`, …): "device in use" for zpool without -f. */
  fstype: string | null;
  partitions: Partition[];
  /** The system disk (LVM install): never unused. */
  system?: boolean;
  /** ZFS label of a pool not imported here: `exported` can be forced, `active` cannot. */
  foreignPool?: { name: string; state: 'exported' | 'active' };
}

export type VdevType = 'disk' | 'mirror' | 'raidz1' | 'raidz2' | 'raidz3';

export interface ZPool {
  name: string;
  /** One entry per top-level vdev; `type` 'disk' for a plain stripe member. */
  vdevs: { type: VdevType; devices: string[] }[];
  /** Separate intent log vdevs (`log DEV…`, `log mirror A B`). */
  logs?: { type: VdevType; devices: string[] }[];
  /** L2ARC devices (`cache DEV…`). */
  cache?: string[];
  /** Disk name → the path `zpool create` was given (`/dev/sdb`, `/dev/disk/by-id/…`): what `zpool status` shows. */
  paths?: Record<string, string>;
  ashift: number;
  properties: Map<string, string>;
  sizeBytes: number;
  health: 'ONLINE' | 'DEGRADED';
  createdAt: number;
}

const TB4 = 4000787030016;

export function byIdName(d: Disk): string {
  if (d.kind === 'nvme') return `nvme-${d.model.replace(/ /g, '_')}_${d.serial}`;
  return `ata-${d.model.replace(/ /g, '_')}_${d.serial}`;
}

/** The default disk set: an LVM system SSD, three empty 4 TB HDDs and an empty NVMe. */
export function defaultDisks(nodeIndex: number): Disk[] {
  const tag = (k: number): string => String(nodeIndex * 10 + k).padStart(7, '0');
  const hdd = (name: string, k: number): Disk => dataHdd(name, nodeIndex, k);
  return [
    {
      name: 'sda',
      size: 500107862016,
      model: 'Samsung SSD 870 EVO 500GB',
      serial: `S62ANZFN${tag(0)}`,
      wwn: `0x5002538f4${tag(0)}`,
      rota: false,
      kind: 'ssd',
      fstype: null,
      system: true,
      partitions: [
        { name: 'sda1', size: 1031168, fstype: null, mountpoint: null, parttype: '21686148-6449-6e6f-744e-656564454649' },
        { name: 'sda2', size: 1073741824, fstype: 'vfat', mountpoint: '/boot/efi', parttype: 'c12a7328-f81f-11d2-ba4b-00a0c93ec93b' },
        { name: 'sda3', size: 499033071104, fstype: 'LVM2_member', mountpoint: null, parttype: 'e6d6d379-f507-44c2-a23c-238f2a3df928' },
      ],
    },
    hdd('sdb', 1),
    hdd('sdc', 2),
    hdd('sdd', 3),
    {
      name: 'nvme0n1',
      size: 1000204886016,
      model: 'Samsung SSD 980 PRO 1TB',
      serial: `S5GXNX0T${tag(4)}`,
      wwn: `eui.002538b2${tag(4)}`,
      rota: false,
      kind: 'nvme',
      fstype: null,
      partitions: [],
    },
  ];
}

/** Every disk a pool holds: data, log and cache devices. */
export function poolDisks(p: ZPool): string[] {
  return [...p.vdevs, ...(p.logs ?? [])].flatMap((v) => v.devices).concat(p.cache ?? []);
}

/** An empty 4 TB HDD; `k` (0-9) keeps serials unique per node. Tests add more with it (raidz3 needs 5). */
export function dataHdd(name: string, nodeIndex: number, k: number): Disk {
  const tag = String(nodeIndex * 10 + k).padStart(7, '0');
  return {
    name,
    size: TB4,
    model: 'WDC WD40EFRX-68N32N0',
    serial: `WD-WCC7K${tag}`,
    wwn: `0x50014ee2b${tag}`,
    rota: true,
    kind: 'hdd',
    fstype: null,
    partitions: [],
  };
}

/** PVE's notion of "used": the first reason that applies, or undefined for an unused disk. */
export function diskUsage(d: Disk, pools: Iterable<ZPool>): string | undefined {
  for (const p of pools) if (poolDisks(p).includes(d.name)) return 'ZFS';
  if (d.system) return 'BIOS boot';
  if (d.foreignPool) return 'ZFS';
  // Diskmanage.pm names a PV `LVM` before it looks at the fstype string (pve-outputs §1.3).
  const named = (fstype: string): string => (fstype === 'zfs_member' ? 'ZFS' : fstype === 'LVM2_member' ? 'LVM' : fstype);
  if (d.fstype) return named(d.fstype);
  for (const part of d.partitions) if (part.fstype) return named(part.fstype);
  return d.partitions.length ? 'partitions' : undefined;
}
