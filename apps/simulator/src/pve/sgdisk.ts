import type { NodeProgram } from '../model/node';
import { fail, out } from '../shell/command';
import { byIdName, poolDisks } from '../model/disks';
import { findBlockDevice, partitionName } from '../model/lvm';

const LINUX_FS = '0fc63daf-8483-4772-8e79-3d69d8477de4';
const SECTOR = 512;
const ALIGN = 2048;

/**
 * `sgdisk -N N DEV` (a new partition N over the largest free block, type 8300) and `sgdisk -Z DEV`
 * (`--zap-all`). Exit 4 when the operation fails, as gdisk's sgdisk(8) documents.
 */
export const sgdiskPrograms: Record<string, NodeProgram> = {
  sgdisk: (node, ctx) => {
    const args = ctx.argv.slice(1);
    const device = args.at(-1);
    if (!device || device.startsWith('-')) return fail(ctx, 'Usage: sgdisk [OPTION...] <device>', 1);
    const dev = findBlockDevice(node.disks, device, byIdName);
    if (!dev || dev.partition)
      return fail(ctx, `Problem opening ${device} for reading! Error is 2.\nThe specified file does not exist!`, 2);
    const disk = dev.disk;
    const busy = disk.system || [...node.zpools.values()].some((p) => poolDisks(p).includes(disk.name)) || node.lvm.deviceBusy(dev.path);
    const zap = args.includes('-Z') || args.includes('--zap-all');
    const newIndex = args.findIndex((a) => a === '-N' || a === '--largest-new' || a.startsWith('--largest-new='));
    if (zap) {
      if (busy || disk.partitions.some((p) => node.lvm.deviceBusy(`/dev/${p.name}`)))
        return fail(
          ctx,
          'Warning: The kernel is still using the old partition table.\nThe new table will be used at the next reboot or after you\nrun partprobe(8) or kpartx(8)',
          4,
        );
      for (const p of disk.partitions) node.lvm.pvs.delete(`/dev/${p.name}`);
      disk.partitions = [];
      out(ctx, 'GPT data structures destroyed! You may now partition the disk using fdisk or\nother utilities.\n');
      return 0;
    }
    if (newIndex < 0) return fail(ctx, 'Usage: sgdisk [OPTION...] <device>', 1);
    const raw: string | undefined = args[newIndex].includes('=') ? args[newIndex].split('=')[1] : args.at(newIndex + 1);
    const number = Number(raw);
    if (!Number.isInteger(number) || number < 1 || number > 128) return fail(ctx, `Could not create partition ${raw ?? ''}`, 4);
    const sectors = Math.floor(disk.size / SECTOR);
    const lastUsable = sectors - 34;
    const usedEnd = disk.partitions.reduce((end, p) => end + Math.ceil(p.size / SECTOR), ALIGN);
    const name = partitionName(disk, number);
    if (disk.partitions.some((p) => p.name === name) || usedEnd >= lastUsable) {
      ctx.io.stdout.write(`Could not create partition ${number} from ${usedEnd} to ${lastUsable}\n`);
      return fail(ctx, 'Error encountered; not saving changes.', 4);
    }
    const start = Math.ceil(usedEnd / ALIGN) * ALIGN;
    const end = Math.floor((lastUsable + 1) / ALIGN) * ALIGN - 1;
    disk.partitions.push({ name, size: (end - start + 1) * SECTOR, fstype: null, mountpoint: null, parttype: LINUX_FS });
    disk.partitions.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
    // A new GPT leaves no whole-disk signature (or whole-disk PV) behind.
    disk.fstype = null;
    node.lvm.pvs.delete(dev.path);
    out(ctx, 'The operation has completed successfully.\n');
    return 0;
  },

  /**
   * `udevadm settle` / `udevadm trigger`: the simulator's device links (`/dev/disk/by-id/…-partN`)
   * exist as soon as the partition does, so there is nothing to wait for; anything else is a usage error.
   */
  udevadm: (_node, ctx) => {
    const sub = ctx.argv.at(1);
    if (sub === 'settle' || sub === 'trigger') return 0;
    return fail(ctx, `udevadm: unknown command '${sub ?? ''}'`, 1);
  },
};
