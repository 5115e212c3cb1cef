import { stableHex } from '../util/rng';
import type { Disk, Partition } from './disks';

/** LVM's default extent size (vgcreate -s) and where data starts on a PV (pe_start, 1 MiB). */
export const EXTENT = 4 * 1024 * 1024;
const PE_START = 1024 * 1024;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export interface PhysicalVolume {
  /** `/dev/sdb1`. */
  device: string;
  /** Bytes usable for extents: (device size - pe_start) rounded down to whole extents. */
  size: number;
  vg?: string;
  uuid: string;
}

export interface VolumeGroup {
  name: string;
  pvs: string[];
  uuid: string;
}

export type LvKind = 'linear' | 'thin-pool' | 'thin' | 'pmspare';

export interface LogicalVolume {
  name: string;
  vg: string;
  kind: LvKind;
  size: number;
  /** Thin pools: the metadata LV's size (it and its spare take space in the VG too). */
  metadataSize?: number;
  /** Thin volumes: the pool they live in. */
  pool?: string;
  mounted?: boolean;
  dataPercent?: string;
  metaPercent?: string;
}

/** A node's volume groups, physical and logical volumes (what `pvs`, `vgs`, `lvs` report). */
export class LvmState {
  readonly pvs = new Map<string, PhysicalVolume>();
  readonly vgs = new Map<string, VolumeGroup>();
  readonly lvs: LogicalVolume[] = [];

  constructor(private readonly seed: string) {}

  /** LVM's 32-character ids, shown as 6-4-4-4-4-4-6 groups; stable per simulator seed. */
  uuid(label: string): string {
    const h = stableHex(`${this.seed}:${label}`, 64);
    const chars = Array.from({ length: 32 }, (_, i) => ALPHABET[parseInt(h.slice(i * 2, i * 2 + 2), 16) % ALPHABET.length]).join('');
    return [0, 6, 10, 14, 18, 22, 26].map((at, i, all) => chars.slice(at, all[i + 1] ?? 32)).join('-');
  }

  addPv(device: string, deviceSize: number): PhysicalVolume {
    const pv = { device, size: Math.floor((deviceSize - PE_START) / EXTENT) * EXTENT, uuid: this.uuid(`pv:${device}`) };
    this.pvs.set(device, pv);
    return pv;
  }

  lvsOf(vg: string): LogicalVolume[] {
    return this.lvs.filter((l) => l.vg === vg);
  }

  /** Bytes a VG's LVs take: thin volumes live inside their pool, a pool's metadata counts beside its data. */
  allocated(vg: string): number {
    return this.lvsOf(vg)
      .filter((l) => l.kind !== 'thin')
      .reduce((s, l) => s + l.size + (l.metadataSize ?? 0), 0);
  }

  vgSize(vg: string): number {
    return (this.vgs.get(vg)?.pvs ?? []).reduce((s, d) => s + (this.pvs.get(d)?.size ?? 0), 0);
  }

  vgFree(vg: string): number {
    return this.vgSize(vg) - this.allocated(vg);
  }

  /** Free space of one PV: LVs are laid out over a VG's PVs in order. */
  pvFree(device: string): number {
    const pv = this.pvs.get(device);
    if (!pv?.vg) return pv?.size ?? 0;
    let used = this.allocated(pv.vg);
    for (const d of this.vgs.get(pv.vg)?.pvs ?? []) {
      const size = this.pvs.get(d)?.size ?? 0;
      const here = Math.min(size, used);
      if (d === device) return size - here;
      used -= here;
    }
    return 0;
  }

  /** An LV that holds the device open (a PV under an active LV cannot be reinitialised or wiped). */
  deviceBusy(device: string): boolean {
    const vg = this.pvs.get(device)?.vg;
    return !!vg && this.lvsOf(vg).length > 0;
  }
}

/** The installer's LVM on the system disk: VG `pve` on sda3 with swap, root and the `data` thin pool. */
export function installerLvm(seed: string, systemPart: Partition | undefined): LvmState {
  const lvm = new LvmState(seed);
  if (!systemPart) return lvm;
  const device = `/dev/${systemPart.name}`;
  lvm.addPv(device, systemPart.size).vg = 'pve';
  lvm.vgs.set('pve', { name: 'pve', pvs: [device], uuid: lvm.uuid('vg:pve') });
  lvm.lvs.push(
    { name: 'data', vg: 'pve', kind: 'thin-pool', size: 366924611584, metadataSize: 3758096384, dataPercent: '0.00', metaPercent: '0.63' },
    { name: 'root', vg: 'pve', kind: 'linear', size: 103079215104, mounted: true },
    { name: 'swap', vg: 'pve', kind: 'linear', size: 8589934592, mounted: true },
    { name: 'lvol0_pmspare', vg: 'pve', kind: 'pmspare', size: 3758096384 },
  );
  return lvm;
}

/** A block device path (`/dev/sdb1`, `/dev/disk/by-id/ata-…-part1`, `/dev/nvme0n1p1`) → its disk and partition. */
export function findBlockDevice(
  disks: Disk[],
  path: string,
  byIdName: (d: Disk) => string,
): { disk: Disk; partition?: Partition; path: string } | undefined {
  const byId = /^\/dev\/disk\/by-id\/(.+?)(?:-part(\d+))?$/.exec(path);
  if (byId) {
    const disk = disks.find((d) => byIdName(d) === byId[1]);
    if (!disk) return undefined;
    if (!byId[2]) return { disk, path: `/dev/${disk.name}` };
    const name = partitionName(disk, Number(byId[2]));
    const partition = disk.partitions.find((p) => p.name === name);
    return partition ? { disk, partition, path: `/dev/${name}` } : undefined;
  }
  const short = path.replace(/^\/dev\//, '');
  for (const disk of disks) {
    if (disk.name === short) return { disk, path: `/dev/${short}` };
    const partition = disk.partitions.find((p) => p.name === short);
    if (partition) return { disk, partition, path: `/dev/${short}` };
  }
  return undefined;
}

export const partitionName = (d: Disk, n: number): string => (d.kind === 'nvme' ? `${d.name}p${n}` : `${d.name}${n}`);
