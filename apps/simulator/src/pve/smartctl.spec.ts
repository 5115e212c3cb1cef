import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../simulator';
import { startTestSim } from '../testing/sim-harness';
import { byIdName } from '../model/disks';

const BANNER_73 =
  'smartctl 7.3 2022-02-28 r5338 [x86_64-linux-KERNEL] (local build)\nCopyright (C) 2002-22, Bruce Allen, Christian Franke, www.smartmontools.org\n\n';

describe('smartctl: healthy, failing and SMART-disabled disks (pve-outputs §5)', () => {
  let sim: Simulator;
  afterEach(() => sim.stop());

  it('-H on a healthy ATA disk and an NVMe: PASSED, exit 0, by /dev or by-id path', async () => {
    sim = await startTestSim();
    const banner = BANNER_73.replace('KERNEL', sim.node('pve1').runningKernel);
    expect(await sim.exec('pve1', 'smartctl -H /dev/sdb')).toEqual({
      stdout: `${banner}=== START OF READ SMART DATA SECTION ===\nSMART overall-health self-assessment test result: PASSED\n\n`,
      stderr: '',
      code: 0,
    });
    const nvme = `/dev/disk/by-id/${byIdName(sim.node('pve1').disks[4])}`;
    expect((await sim.exec('pve1', `smartctl -H ${nvme}`)).stdout).toBe(
      `${banner}=== START OF SMART DATA SECTION ===\nSMART overall-health self-assessment test result: PASSED\n\n`,
    );
    expect(await sim.exec('pve1', 'smartctl -H /dev/sdz')).toMatchObject({
      stdout: `${banner}Smartctl open device: /dev/sdz failed: No such device\n`,
      code: 2,
    });
    expect((await sim.exec('pve1', 'smartctl -H')).code).toBe(1);
  });

  it('a failing disk (start option, then control API) fails -H with bit 3; -A shows its attributes', async () => {
    sim = await startTestSim({ smart: { pve2: { sdc: 'failing' } } });
    const failing = await sim.exec('pve2', 'smartctl -H -A /dev/sdc');
    expect(failing.code).toBe(8);
    expect(failing.stdout).toContain(
      '=== START OF READ SMART DATA SECTION ===\nSMART overall-health self-assessment test result: FAILED!\nDrive failure expected in less than 24 hours. SAVE ALL DATA.\nNo failed Attributes found.\n\nSMART Attributes Data Structure revision number: 16\n',
    );
    expect(failing.stdout).toContain(
      'ID# ATTRIBUTE_NAME          FLAG     VALUE WORST THRESH TYPE      UPDATED  WHEN_FAILED RAW_VALUE\n  1 Raw_Read_Error_Rate     0x002f   200   200   051    Pre-fail  Always       -       1184\n',
    );
    expect(failing.stdout).toContain('  5 Reallocated_Sector_Ct   0x0033   143   143   140    Pre-fail  Always       -       1832\n');
    expect((await sim.exec('pve2', 'smartctl -A /dev/sdc')).code).toBe(0);
    expect((await sim.exec('pve2', 'smartctl -H /dev/sdb')).code).toBe(0);

    sim.setSmart('pve2', 'nvme0n1', 'failing');
    const nvme = await sim.exec('pve2', 'smartctl -H -A /dev/nvme0n1');
    expect(nvme.code).toBe(8);
    expect(nvme.stdout).toContain(
      'SMART overall-health self-assessment test result: FAILED!\n- available spare has fallen below threshold\n- NVM subsystem reliability has been degraded\n\nSMART/Health Information (NVMe Log 0x02)\nCritical Warning:                   0x05\n',
    );
    sim.setSmart('pve2', 'sdc', 'healthy');
    expect((await sim.exec('pve2', 'smartctl -H /dev/sdc')).code).toBe(0);
    expect(() => {
      sim.setSmart('pve2', 'nvme0n1', 'disabled');
    }).toThrow(/NVMe/);
  });

  it('SMART disabled: -H exits 4 with the hint, -i says so, -s on enables it; unavailable lacks it', async () => {
    sim = await startTestSim();
    sim.setSmart('pve1', 'sdd', 'disabled');
    const off = await sim.exec('pve1', 'smartctl -H /dev/sdd');
    expect(off.code).toBe(4);
    expect(
      off.stdout.endsWith("\n\nSMART Disabled. Use option -s with argument 'on' to enable it.\n(override with '-T permissive' option)\n"),
    ).toBe(true);
    const info = (await sim.exec('pve1', 'smartctl -i /dev/sdd')).stdout;
    expect(info).toContain(
      '=== START OF INFORMATION SECTION ===\nModel Family:     Western Digital Red\nDevice Model:     WDC WD40EFRX-68N32N0\n',
    );
    expect(info).toContain('User Capacity:    4,000,787,030,016 bytes [4.00 TB]\n');
    expect(info).toContain('SMART support is: Available - device has SMART capability.\nSMART support is: Disabled\n');
    expect((await sim.exec('pve1', 'smartctl -s on /dev/sdd')).stdout).toContain(
      '=== START OF ENABLE/DISABLE COMMANDS SECTION ===\nSMART Enabled.\n',
    );
    expect((await sim.exec('pve1', 'smartctl -H /dev/sdd')).code).toBe(0);
    sim.setSmart('pve1', 'sdb', 'unavailable');
    const none = await sim.exec('pve1', 'smartctl -a /dev/sdb');
    expect([none.code, none.stdout.includes('SMART support is: Unavailable - device lacks SMART capability.\n')]).toEqual([4, true]);
  });
});
