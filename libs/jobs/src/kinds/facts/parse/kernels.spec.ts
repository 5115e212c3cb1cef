import { describe, expect, it } from 'vitest';
import { splitSections, type FactSections } from '../facts-script';
import { parseKernels } from './kernels';

const sections = (v: Partial<FactSections>): FactSections => ({ ...splitSections(''), ...v });

// pve-commands.md §2.4: three series, listed as text, with a pin.
const NOTES_PINNED = `Manually selected kernels:
None.

Automatically selected kernels:
6.11.11-2-pve
6.14.8-2-pve
6.5.13-6-pve

Pinned kernel:
6.5.13-6-pve`;

// Simulator, PVE 8 as seeded.
const SIM_PVE8 = 'Manually selected kernels:\nNone.\n\nAutomatically selected kernels:\n6.8.12-11-pve\n6.8.12-13-pve';

// Simulator after a dist-upgrade, `kernel pin 6.8.12-11-pve` and `kernel pin 6.8.12-13-pve --next-boot`.
const SIM_PINNED_NEXT_BOOT =
  'Manually selected kernels:\nNone.\n\nAutomatically selected kernels:\n6.8.12-11-pve\n6.8.12-13-pve\n6.8.12-18-pve\n\nPinned kernel:\n6.8.12-11-pve\n\nKernel pinned on next-boot:\n6.8.12-13-pve';

describe('parseKernels', () => {
  it('version-sorts the list, and a pin decides the next boot', () => {
    expect(parseKernels(sections({ kernelList: NOTES_PINNED, kernel: '6.14.8-2-pve\n' }))).toEqual({
      running: '6.14.8-2-pve',
      installed: ['6.5.13-6-pve', '6.11.11-2-pve', '6.14.8-2-pve'],
      pinned: '6.5.13-6-pve',
      next: '6.5.13-6-pve',
      rebootRequired: true,
    });
  });

  it('boots the newest kernel without a pin', () => {
    const list = NOTES_PINNED.replace(/\n\nPinned kernel:\n.*$/, '');
    expect(parseKernels(sections({ kernelList: list, kernel: '6.14.8-2-pve' }))).toMatchObject({
      pinned: null,
      next: '6.14.8-2-pve',
      rebootRequired: false,
    });
  });

  it('reads a simulated PVE 8 node running its newest kernel', () => {
    expect(parseKernels(sections({ kernelList: SIM_PVE8, kernel: '6.8.12-13-pve' }))).toEqual({
      running: '6.8.12-13-pve',
      installed: ['6.8.12-11-pve', '6.8.12-13-pve'],
      pinned: null,
      next: '6.8.12-13-pve',
      rebootRequired: false,
    });
  });

  it('needs a reboot once a newer kernel is installed', () => {
    const list = SIM_PINNED_NEXT_BOOT.replace(/\n\nPinned kernel:[\s\S]*$/, '');
    expect(parseKernels(sections({ kernelList: list, kernel: '6.8.12-13-pve' }))).toMatchObject({
      next: '6.8.12-18-pve',
      rebootRequired: true,
    });
  });

  it('lets a next-boot pin win over the permanent pin', () => {
    expect(parseKernels(sections({ kernelList: SIM_PINNED_NEXT_BOOT, kernel: '6.8.12-13-pve' }))).toEqual({
      running: '6.8.12-13-pve',
      installed: ['6.8.12-11-pve', '6.8.12-13-pve', '6.8.12-18-pve'],
      pinned: '6.8.12-11-pve',
      next: '6.8.12-13-pve',
      rebootRequired: false,
    });
  });

  it('includes manually selected kernels once', () => {
    const list = 'Manually selected kernels:\n6.2.16-20-pve\n6.8.12-13-pve\n\nAutomatically selected kernels:\n6.8.12-13-pve\n';
    expect(parseKernels(sections({ kernelList: list, kernel: '6.8.12-13-pve' }))?.installed).toEqual(['6.2.16-20-pve', '6.8.12-13-pve']);
  });

  it('is null on plain Debian (no proxmox-boot-tool) and total on odd input', () => {
    expect(parseKernels(sections({ kernel: '6.1.0-28-amd64' }))).toBeNull();
    expect(parseKernels(sections({ kernelList: 'E: something odd\nAutomatically selected kernels:\n', kernel: 'x' }))).toEqual({
      running: 'x',
      installed: [],
      pinned: null,
      next: null,
      rebootRequired: false,
    });
  });
});
