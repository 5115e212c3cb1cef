import type { SimNode } from '../model/node';
import type { CommandContext } from '../shell/command';

/** What a kernel package's postinst prints on a GRUB (non-ESP) PVE host (pve-outputs §10.2). */
export function kernelInstallLines(node: SimNode, ctx: CommandContext, version: string): void {
  const o = ctx.io.stdout;
  const e = ctx.io.stderr;
  const hook = (name: string): void => {
    e.write(`run-parts: executing /etc/kernel/postinst.d/${name} ${version} /boot/vmlinuz-${version}\n`);
  };
  e.write('Examining /etc/kernel/postinst.d.\n');
  hook('initramfs-tools');
  o.write(`update-initramfs: Generating /boot/initrd.img-${version}\n`);
  hook('proxmox-auto-removal');
  hook('zz-proxmox-boot');
  o.write("Re-executing '/etc/kernel/postinst.d/zz-proxmox-boot' in new private mount namespace..\n");
  e.write('No /etc/kernel/proxmox-boot-uuids found, skipping ESP sync.\n');
  hook('zz-update-grub');
  e.write('Generating grub configuration file ...\n');
  for (const k of [...node.installedKernels()].reverse())
    e.write(`Found linux image: /boot/vmlinuz-${k}\nFound initrd image: /boot/initrd.img-${k}\n`);
  e.write('Found memtest86+ 64bit EFI image: /boot/memtest86+x64.efi\nAdding boot menu entry for UEFI Firmware Settings ...\ndone\n');
}
