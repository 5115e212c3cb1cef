import type { NodeProgram, SimNode } from '../model/node';
import type { CommandContext } from '../shell/command';
import { out, fail } from '../shell/command';
import { requestReboot } from '../model/power';
import { compareDebianVersions } from '../util/debian-version';

/** reboot/shutdown and proxmox-boot-tool (kernel list, pin, unpin, refresh, status). */
export const bootPrograms: Record<string, NodeProgram> = {
  reboot: (node, ctx) => rebootNow(node, ctx),
  shutdown: (node, ctx) => {
    const args = ctx.argv.slice(1);
    if (args.includes('-r') || args.includes('--reboot')) return rebootNow(node, ctx);
    if (args.includes('-c')) return 0;
    return fail(ctx, 'shutdown: the simulator only supports reboots (-r)');
  },
  'proxmox-boot-tool': bootTool,
};

export function rebootNow(node: SimNode, ctx: CommandContext): number {
  const r = requestReboot(node);
  if (r.stderr) ctx.io.stderr.write(r.stderr);
  return r.status;
}

/** `kernel list`'s automatic selection: running, two newest, newest of the previous series, pins. */
export function autoSelectedKernels(node: SimNode): string[] {
  const installed = node.installedKernels();
  const series = (k: string): string => k.split('.').slice(0, 2).join('.');
  const keep = new Set<string>();
  if (installed.includes(node.runningKernel)) keep.add(node.runningKernel);
  installed.slice(-2).forEach((k) => keep.add(k));
  const newest = installed[installed.length - 1];
  const older = installed.filter((k) => newest && series(k) !== series(newest));
  if (older.length) keep.add(older[older.length - 1]);
  const pin = node.pinnedKernel();
  if (pin && installed.includes(pin)) keep.add(pin);
  const next = node.fs.tryRead('/etc/kernel/next-boot-pin')?.trim();
  if (next && installed.includes(next)) keep.add(next);
  return [...keep].sort();
}

function bootTool(node: SimNode, ctx: CommandContext): number {
  const cmd = ctx.argv.at(1);
  const sub = ctx.argv.at(2);
  const rest = ctx.argv.slice(3);
  if (cmd === 'kernel' && (sub === 'list' || sub === undefined)) {
    let text = `Manually selected kernels:\nNone.\n\nAutomatically selected kernels:\n${autoSelectedKernels(node).join('\n')}\n`;
    const pin = node.pinnedKernel();
    if (pin) text += `\nPinned kernel:\n${pin}\n`;
    const next = node.fs.tryRead('/etc/kernel/next-boot-pin')?.trim();
    if (next) text += `\nKernel pinned on next-boot:\n${next}\n`;
    out(ctx, text);
    return 0;
  }
  if (cmd === 'kernel' && sub === 'pin') {
    const nextBoot = rest.includes('--next-boot');
    const ver = rest.find((a) => !a.startsWith('-'));
    const possible = `\nPossible Proxmox kernel versions are:\n${[...node.installedKernels()].sort(compareDebianVersions).join('\n')}\n`;
    if (!ver) return fail(ctx, `E: <kernel-version> is mandatory\n${possible}`);
    if (!node.installedKernels().includes(ver))
      return fail(ctx, `E: no kernel image found in /boot for '${ver}', not setting default.\n${possible}`);
    const file = nextBoot ? '/etc/kernel/next-boot-pin' : '/etc/kernel/proxmox-boot-pin';
    const old = node.fs.tryRead(file)?.trim();
    let text = old && old !== ver ? `Overriding previously pinned version '${old}' with '${ver}'\n` : '';
    node.fs.writeFile(file, `${ver}\n`);
    text += `Setting '${ver}' as grub default entry and running update-grub.\n`;
    if (nextBoot) text += 'Pinned for next boot only.\n';
    out(ctx, text);
    ctx.io.stderr.write(
      `Generating grub configuration file ...\nFound linux image: /boot/vmlinuz-${ver}\nFound initrd image: /boot/initrd.img-${ver}\ndone\n`,
    );
    return 0;
  }
  if (cmd === 'kernel' && sub === 'unpin') {
    const nextOnly = rest.includes('--next-boot');
    if (node.fs.exists('/etc/kernel/next-boot-pin')) node.fs.remove('/etc/kernel/next-boot-pin', false);
    let text = 'Removed /etc/kernel/next-boot-pin.\n';
    if (!nextOnly) {
      if (node.fs.exists('/etc/kernel/proxmox-boot-pin')) node.fs.remove('/etc/kernel/proxmox-boot-pin', false);
      text += 'Removed /etc/kernel/proxmox-boot-pin.\n';
    }
    out(ctx, text + 'Reset default grub entry and running update-grub.\n');
    ctx.io.stderr.write('Generating grub configuration file ...\ndone\n');
    return 0;
  }
  if (cmd === 'refresh') {
    out(
      ctx,
      "Running hook script 'proxmox-auto-removal'..\nRunning hook script 'zz-proxmox-boot'..\nRe-executing '/etc/kernel/postinst.d/zz-proxmox-boot' in new private mount namespace..\n",
    );
    ctx.io.stderr.write('No /etc/kernel/proxmox-boot-uuids found, skipping ESP sync.\n');
    return 0;
  }
  if (cmd === 'status') {
    if (!ctx.argv.includes('--quiet')) ctx.io.stderr.write('E: /etc/kernel/proxmox-boot-uuids does not exist.\n');
    return 2;
  }
  return fail(
    ctx,
    `USAGE: proxmox-boot-tool <commands> [ARGS]\n\n  proxmox-boot-tool format <partition> [--force]\n  proxmox-boot-tool init <partition> [grub]\n  proxmox-boot-tool clean [--dry-run]\n  proxmox-boot-tool refresh [--hook <name>]\n  proxmox-boot-tool kernel <add|remove> <kernel-version>\n  proxmox-boot-tool kernel pin <kernel-version> [--next-boot]\n  proxmox-boot-tool kernel unpin [--next-boot]\n  proxmox-boot-tool kernel list\n  proxmox-boot-tool status [--quiet]\n  proxmox-boot-tool help`,
    1,
  );
}
