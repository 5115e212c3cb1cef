import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../simulator';
import { startTestSim, waitFor } from '../testing/sim-harness';

describe('kernels and reboots', () => {
  let sim: Simulator;
  afterEach(() => sim.stop());

  it('lists, pins and unpins kernels like proxmox-boot-tool', async () => {
    sim = await startTestSim();
    expect((await sim.exec('pve1', 'proxmox-boot-tool kernel list')).stdout).toBe(
      'Manually selected kernels:\nNone.\n\nAutomatically selected kernels:\n6.8.12-11-pve\n6.8.12-13-pve\n',
    );
    const pin = await sim.exec('pve1', 'proxmox-boot-tool kernel pin 6.8.12-11-pve --next-boot');
    expect(pin.stdout).toBe("Setting '6.8.12-11-pve' as grub default entry and running update-grub.\nPinned for next boot only.\n");
    expect((await sim.exec('pve1', 'proxmox-boot-tool kernel list')).stdout).toContain('\nKernel pinned on next-boot:\n6.8.12-11-pve\n');
    expect(sim.state('pve1').nextBootKernel).toBe('6.8.12-11-pve');
    const bad = await sim.exec('pve1', 'proxmox-boot-tool kernel pin 9.9.9-1-pve');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("E: no kernel image found in /boot for '9.9.9-1-pve', not setting default.");
    await sim.exec('pve1', 'proxmox-boot-tool kernel unpin');
    expect(sim.state('pve1').nextBootKernel).toBe('6.8.12-13-pve');
  });

  it('reboot: the node goes down, comes back on the new kernel with a new boot id', async () => {
    sim = await startTestSim();
    await sim.exec('pve1', 'apt-get -y dist-upgrade');
    const before = sim.state('pve1');
    expect(await sim.exec('pve1', 'reboot')).toMatchObject({ code: 0 });
    await waitFor(() => sim.state('pve1').power === 'down');
    expect(sim.state('pve1').downReason).toBe('rebooting');
    await waitFor(() => sim.state('pve1').power === 'online');
    const after = sim.state('pve1');
    expect(after.bootId).not.toBe(before.bootId);
    expect(after.runningKernel).toBe('6.8.12-18-pve');
    expect(after.rebootRequired).toBe(false);
    expect(sim.counters('pve1').reboots).toBe(1);
  });

  it('reboot can be refused (molly-guard), ignored, or hang until cleared', async () => {
    sim = await startTestSim();
    sim.setRebootBehaviour('pve1', 'refuse');
    const refused = await sim.exec('pve1', 'reboot');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Good thing I asked; I won't reboot pve1 ...");
    sim.setRebootBehaviour('pve1', 'noop');
    expect((await sim.exec('pve1', 'systemctl reboot')).code).toBe(0);
    await new Promise((r) => setTimeout(r, 80));
    expect(sim.state('pve1').power).toBe('online');
    sim.setRebootBehaviour('pve1', 'hang');
    const bootId = sim.state('pve1').bootId;
    await sim.exec('pve1', 'shutdown -r now');
    await waitFor(() => sim.state('pve1').power === 'down');
    await new Promise((r) => setTimeout(r, 100));
    expect(sim.state('pve1').power).toBe('down');
    sim.setRebootBehaviour('pve1', 'normal');
    await waitFor(() => sim.state('pve1').power === 'online');
    expect(sim.state('pve1').bootId).not.toBe(bootId);
  });
});
