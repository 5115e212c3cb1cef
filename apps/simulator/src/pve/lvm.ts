import type { NodeProgram, SimNode } from '../model/node';
import type { CommandContext } from '../shell/command';
import { fail, out } from '../shell/command';
import { byIdName, poolDisks } from '../model/disks';
import { EXTENT, findBlockDevice, LogicalVolume } from '../model/lvm';
import { lvmArgs, parseLvmSize } from './lvm-args';

/** LVM's exit statuses (lib/commands/errors.h): EINVALID_CMD_LINE and ECMD_FAILED. */
const EINVALID = 3;
const EFAILED = 5;
const LVM2 = 'LVM2_member';
const LV_NAME = /^[a-zA-Z0-9+_.][a-zA-Z0-9+_.-]*$/;
const RESERVED_SUFFIX = /_(cdata|cmeta|corig|cpool|cvol|mimage|mlog|pmspare|rimage|rmeta|tdata|tmeta|vdata|vorigin|wcorig)$/;

/** `pvcreate`, `vgcreate`, `lvcreate`: the LVM steps of the LVM-thin recipe (pve-commands §6.5). */
export const lvmPrograms: Record<string, NodeProgram> = {
  pvcreate: (node, ctx) => {
    const args = lvmArgs(ctx.argv.slice(1), ['metadatasize', 'dataalignment', 'u', 'uuid', 'config']);
    if (!args.positional.length)
      return fail(ctx, "  Please enter a physical volume path.\n  Run `pvcreate --help' for more information.", EINVALID);
    const force = args.count('f') >= 2 ? 2 : args.flag('f', 'force') ? 1 : 0;
    const yes = args.flag('y', 'yes');
    for (const path of args.positional) {
      const code = pvcreate(node, ctx, path, force, yes);
      if (code) return code;
    }
    return 0;
  },

  vgcreate: (node, ctx) => {
    const args = lvmArgs(ctx.argv.slice(1), ['s', 'physicalextentsize', 'config']);
    const [name, ...devices] = args.positional;
    if (!name)
      return fail(ctx, "  Please provide volume group name and physical volumes\n  Run `vgcreate --help' for more information.", EINVALID);
    if (!devices.length)
      return fail(ctx, "  Please enter physical volume name(s)\n  Run `vgcreate --help' for more information.", EINVALID);
    if (!LV_NAME.test(name) || name === '.' || name === '..') return fail(ctx, `  New volume group name "${name}" is invalid.`, EINVALID);
    const lvm = node.lvm;
    if (lvm.vgs.has(name)) return fail(ctx, `  A volume group called ${name} already exists.`, EFAILED);
    const resolved: string[] = [];
    for (const path of devices) {
      const dev = findBlockDevice(node.disks, path, byIdName);
      if (!dev) return fail(ctx, `  Cannot use ${path}: device not found`, EFAILED);
      const pv = lvm.pvs.get(dev.path);
      if (pv?.vg)
        return fail(
          ctx,
          `  Physical volume '${path}' is already in volume group '${pv.vg}'\n  Unable to add physical volume '${path}' to volume group '${name}'\n  ${path}: physical volume not initialized.`,
          EFAILED,
        );
      if (!pv) {
        // vgcreate initialises a plain device itself, with pvcreate's checks and no -y.
        const code = pvcreate(node, ctx, path, 0, false);
        if (code) return code;
      }
      resolved.push(dev.path);
    }
    for (const d of resolved) (lvm.pvs.get(d) as { vg?: string }).vg = name;
    lvm.vgs.set(name, { name, pvs: resolved, uuid: lvm.uuid(`vg:${name}`) });
    out(ctx, `  Volume group "${name}" successfully created\n`);
    return 0;
  },

  lvcreate: (node, ctx) => lvcreate(node, ctx),
};

function pvcreate(node: SimNode, ctx: CommandContext, path: string, force: number, yes: boolean): number {
  const lvm = node.lvm;
  const dev = findBlockDevice(node.disks, path, byIdName);
  if (!dev) return fail(ctx, `  Cannot use ${path}: device not found`, EFAILED);
  if (!dev.partition && dev.disk.partitions.length) return fail(ctx, `  Cannot use ${path}: device is partitioned`, EFAILED);
  const existing = lvm.pvs.get(dev.path);
  if (existing?.vg) {
    if (force < 2)
      return fail(
        ctx,
        `  Can't initialize physical volume "${path}" of volume group "${existing.vg}" without -ff\n  ${path}: physical volume not initialized.`,
        EFAILED,
      );
    if (!yes)
      return fail(
        ctx,
        `Really INITIALIZE physical volume "${path}" of volume group "${existing.vg}" [y/n]? [n]\n  ${path}: physical volume not initialized.`,
        EFAILED,
      );
    if (lvm.deviceBusy(dev.path)) return fail(ctx, `  Can't open ${path} exclusively.  Mounted filesystem?`, EFAILED);
    ctx.io.stderr.write(`  WARNING: Forcing physical volume creation on ${path} of volume group "${existing.vg}"\n`);
    const vg = lvm.vgs.get(existing.vg);
    if (vg) vg.pvs = vg.pvs.filter((d) => d !== dev.path);
    if (vg && !vg.pvs.length) lvm.vgs.delete(vg.name);
  }
  const inPool = [...node.zpools.values()].some((p) => poolDisks(p).includes(dev.disk.name));
  if (inPool || dev.disk.system) return fail(ctx, `  Can't open ${path} exclusively.  Mounted filesystem?`, EFAILED);
  const signature = dev.partition ? dev.partition.fstype : dev.disk.fstype;
  if (signature && signature !== LVM2) {
    if (!yes)
      return fail(
        ctx,
        `WARNING: ${signature} signature detected on ${path} at offset 1080. Wipe it? [y/n]: [n]\n  Aborted wiping of ${signature}.\n  1 existing signature left on the device.`,
        EFAILED,
      );
    out(
      ctx,
      `WARNING: ${signature} signature detected on ${path} at offset 1080. Wipe it? [y/n]: [y]\n  Wiping ${signature} signature on ${path}.\n`,
    );
  }
  if (dev.partition) dev.partition.fstype = LVM2;
  else {
    dev.disk.fstype = LVM2;
    dev.disk.foreignPool = undefined;
  }
  lvm.addPv(dev.path, dev.partition?.size ?? dev.disk.size);
  out(ctx, `  Physical volume "${path}" successfully created.\n`);
  return 0;
}

/**
 * `lvcreate -L SIZE|-l N[%FREE|%VG] [-T] -n NAME VG` (a linear LV, or a thin pool with -T) and
 * `lvcreate -V SIZE [-n NAME] VG/POOL` (a thin volume).
 */
function lvcreate(node: SimNode, ctx: CommandContext): number {
  const args = lvmArgs(ctx.argv.slice(1), [
    'L',
    'size',
    'l',
    'extents',
    'n',
    'name',
    'V',
    'virtualsize',
    'type',
    'thinpool',
    'c',
    'chunksize',
    'poolmetadatasize',
    'Z',
    'zero',
    'config',
  ]);
  const sizeArg = args.value('L', 'size');
  const extentsArg = args.value('l', 'extents');
  const virtualArg = args.value('V', 'virtualsize');
  const thinPool = args.flag('T', 'thin') || args.value('type') === 'thin-pool';
  const parseError = (opt: string, value: string): number =>
    fail(ctx, `  Invalid argument for --${opt}: ${value}\n  Error during parsing of command line.`, EINVALID);
  const size = sizeArg === undefined ? undefined : parseLvmSize(sizeArg);
  if (sizeArg !== undefined && size === undefined) return parseError('size', sizeArg);
  const extents = extentsArg === undefined ? undefined : /^(\d+)(?:%(FREE|VG|PVS))?$/i.exec(extentsArg);
  if (extentsArg !== undefined && !extents) return parseError('extents', extentsArg);
  const virtual = virtualArg === undefined ? undefined : parseLvmSize(virtualArg);
  if (virtualArg !== undefined && virtual === undefined) return parseError('virtualsize', virtualArg);
  const [target] = args.positional;
  if (!target)
    return fail(ctx, "  Please specify either size or extents but not both.\n  Run `lvcreate --help' for more information.", EINVALID);
  if (size === undefined && !extents && virtual === undefined)
    return fail(ctx, "  Please specify either size or extents.\n  Run `lvcreate --help' for more information.", EINVALID);
  if (size !== undefined && extents) return fail(ctx, '  Please specify either size or extents but not both.', EINVALID);
  const [vgName, poolFromPath] = target.split('/') as [string, string | undefined];
  const lvm = node.lvm;
  if (!lvm.vgs.has(vgName)) return fail(ctx, `  Volume group "${vgName}" not found\n  Cannot process volume group ${vgName}`, EFAILED);
  const name =
    args.value('n', 'name') ??
    (thinPool && poolFromPath && virtual === undefined ? poolFromPath : undefined) ??
    nextLvolName(lvm.lvsOf(vgName));
  if (!LV_NAME.test(name) || RESERVED_SUFFIX.test(name) || name === 'snapshot' || name === 'pvmove')
    return fail(ctx, `  Logical volume name "${name}" is invalid.`, EINVALID);
  if (lvm.lvsOf(vgName).some((l) => l.name === name))
    return fail(ctx, `  Logical Volume "${name}" already exists in volume group "${vgName}"`, EFAILED);

  if (virtual !== undefined) {
    const poolName = args.value('thinpool') ?? poolFromPath;
    const pool = lvm.lvsOf(vgName).find((l) => l.name === poolName && l.kind === 'thin-pool');
    if (!pool) return fail(ctx, `  Thin pool ${vgName}/${poolName ?? ''} not found.`, EFAILED);
    lvm.lvs.push({ name, vg: vgName, kind: 'thin', size: roundUp(virtual), pool: pool.name, dataPercent: '0.00' });
    out(ctx, `  Logical volume "${name}" created.\n`);
    return 0;
  }

  const free = lvm.vgFree(vgName);
  const hasSpare = lvm.lvsOf(vgName).some((l) => l.kind === 'pmspare');
  let data: number;
  if (size !== undefined) {
    data = roundUp(size);
    if (data !== size) out(ctx, `  Rounding up size to full physical extent ${iec(data)}\n`);
  } else {
    const [, n, of] = extents as unknown as [string, string, string | undefined];
    const total = of?.toUpperCase() === 'FREE' ? free : of ? lvm.vgSize(vgName) : Number(n) * EXTENT;
    data = of ? Math.floor((total * Number(n)) / 100 / EXTENT) * EXTENT : total;
    if (thinPool && of?.toUpperCase() === 'FREE') data -= (hasSpare ? 1 : 2) * thinMeta(data).meta;
  }
  const { chunk, meta } = thinPool ? thinMeta(data) : { chunk: 0, meta: 0 };
  const needed = data + (thinPool ? meta * (hasSpare ? 1 : 2) : 0);
  if (data <= 0 || needed > free)
    return fail(
      ctx,
      `  Volume group "${vgName}" has insufficient free space (${free / EXTENT} extents): ${Math.ceil(needed / EXTENT)} required.`,
      EFAILED,
    );
  if (thinPool) {
    if (!hasSpare) lvm.lvs.push({ name: 'lvol0_pmspare', vg: vgName, kind: 'pmspare', size: meta });
    lvm.lvs.push({ name, vg: vgName, kind: 'thin-pool', size: data, metadataSize: meta, dataPercent: '0.00', metaPercent: '10.43' });
    // 15.81 TiB is what 64 KiB chunks address with the largest metadata; it scales with the chunk.
    const addressable = Math.round(15.81 * 1024 ** 4 * (chunk / 65536));
    out(ctx, `  Thin pool volume with chunk size ${iec(chunk)} can address at most ${iec(addressable)} of data.\n`);
  } else lvm.lvs.push({ name, vg: vgName, kind: 'linear', size: data });
  out(ctx, `  Logical volume "${name}" created.\n`);
  return 0;
}

/** `4.00 MiB`, `15.81 TiB`: LVM's sizes in messages. */
function iec(bytes: number): string {
  let power = 0;
  while (power < 5 && bytes >= 1024 ** (power + 1)) power++;
  return `${(bytes / 1024 ** power).toFixed(2)} ${['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'][power]}`;
}

const roundUp = (bytes: number): number => Math.ceil(bytes / EXTENT) * EXTENT;

/** LVM's "generic" chunk policy: 64 KiB chunks unless the metadata would pass 128 MiB, 64 bytes per chunk. */
function thinMeta(data: number): { chunk: number; meta: number } {
  let chunk = 64 * 1024;
  while ((data / chunk) * 64 > 128 * 1024 * 1024 && chunk < 1024 * 1024 * 1024) chunk *= 2;
  return { chunk, meta: roundUp(Math.max(2 * 1024 * 1024, (data / chunk) * 64)) };
}

function nextLvolName(existing: LogicalVolume[]): string {
  for (let i = 0; ; i++) if (!existing.some((l) => l.name === `lvol${i}`)) return `lvol${i}`;
}
