import type { NodeProgram } from '../model/node';
import { fail, out } from '../shell/command';

/** The mount table's entry for `target`, from /proc/mounts (the last mount over it wins, as in the kernel). */
function mountOf(text: string, target: string): { source: string; fstype: string; options: string } | undefined {
  const rows = text
    .split('\n')
    .map((l) => l.split(' '))
    .filter((f) => f.length >= 4 && f[1] === target);
  const row = rows.at(-1);
  return row ? { source: row[0], fstype: row[2], options: row[3] } : undefined;
}

/**
 * util-linux `findmnt [-n] [-o COLS] TARGET` (SOURCE, TARGET, FSTYPE, OPTIONS) over /proc/mounts, and
 * initramfs-tools `update-initramfs -u`: what the ARC limit needs when the root file system is ZFS.
 */
export const rootFsPrograms: Record<string, NodeProgram> = {
  findmnt: (node, ctx) => {
    const args = ctx.argv.slice(1);
    const noHeadings = args.includes('-n') || args.includes('--noheadings');
    const oAt = args.findIndex((a) => a === '-o' || a === '--output');
    const cols = (oAt >= 0 ? (args[oAt + 1] ?? '') : 'TARGET,SOURCE,FSTYPE,OPTIONS').split(',').map((c) => c.toUpperCase());
    const target = args.filter((a, i) => !a.startsWith('-') && i !== oAt + 1).at(-1);
    const m = target === undefined ? undefined : mountOf(node.fs.tryRead('/proc/mounts') ?? '', target);
    if (!m || target === undefined) return 1;
    const value: Record<string, string> = { TARGET: target, SOURCE: m.source, FSTYPE: m.fstype, OPTIONS: m.options };
    if (cols.some((c) => !(c in value))) return fail(ctx, `findmnt: unknown column: ${cols.find((c) => !(c in value)) ?? ''}`, 1);
    const head = noHeadings ? '' : `${cols.join(' ')}\n`;
    out(ctx, `${head}${cols.map((c) => value[c]).join(' ')}\n`);
    return 0;
  },
  'update-initramfs': (node, ctx) => {
    const args = ctx.argv.slice(1);
    if (!args.includes('-u')) return fail(ctx, 'Usage: update-initramfs {-c|-d|-u} [-k version] [-v] [-b directory]', 2);
    out(ctx, `update-initramfs: Generating /boot/initrd.img-${node.runningKernel}\n`);
    return 0;
  },
};
