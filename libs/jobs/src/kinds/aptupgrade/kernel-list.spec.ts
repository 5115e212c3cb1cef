import { describe, expect, it } from 'vitest';
import { parseKernelList } from './kernel-list';

describe('proxmox-boot-tool kernel list', () => {
  it('sorts by version and takes the newest when nothing is pinned', () => {
    const k = parseKernelList(
      'Manually selected kernels:\nNone.\n\nAutomatically selected kernels:\n6.11.11-2-pve\n6.14.8-2-pve\n6.5.13-6-pve\n',
    );
    expect(k).toEqual({ listed: ['6.5.13-6-pve', '6.11.11-2-pve', '6.14.8-2-pve'], pinned: null, nextBootPin: null, next: '6.14.8-2-pve' });
  });

  it('a pin overrides the newest; a next-boot pin overrides the pin', () => {
    const pinned =
      'Manually selected kernels:\nNone.\n\nAutomatically selected kernels:\n6.8.12-13-pve\n6.8.12-15-pve\n\nPinned kernel:\n6.8.12-13-pve\n';
    expect(parseKernelList(pinned).next).toBe('6.8.12-13-pve');
    expect(parseKernelList(`${pinned}\nKernel pinned on next-boot:\n6.8.12-15-pve\n`)).toMatchObject({
      pinned: '6.8.12-13-pve',
      nextBootPin: '6.8.12-15-pve',
      next: '6.8.12-15-pve',
    });
  });

  it('counts manually selected kernels, and nothing at all is null', () => {
    expect(parseKernelList('Manually selected kernels:\n7.0.14-4-pve\n\nAutomatically selected kernels:\n6.17.13-15-pve\n').next).toBe(
      '7.0.14-4-pve',
    );
    expect(parseKernelList('').next).toBeNull();
  });
});
