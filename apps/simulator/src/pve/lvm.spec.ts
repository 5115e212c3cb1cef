import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../simulator';
import { startTestSim } from '../testing/sim-harness';
import { byIdName } from '../model/disks';

const partition = (dev: string): string => (dev.includes('/by-id/') ? `${dev}-part1` : `${dev}1`);

/** The seed's LVM-thin recipe, by the disk's /dev/disk/by-id path as pvefleet gives it. */
const recipe = (dev: string): string[] => [
  `sgdisk -N 1 ${dev}`,
  `pvcreate --metadatasize 250k -y -ff ${partition(dev)}`,
  `vgcreate vmdata ${partition(dev)}`,
  'lvcreate -L 80G -T -n vmstore vmdata',
];

describe('LVM: sgdisk, pvcreate, vgcreate, lvcreate -T, pvs/vgs/lvs', () => {
  let sim: Simulator;
  afterEach(() => sim.stop());

  it("reports the installer's VG pve in LVM's aligned layout (seed: pvs, vgs, lvs)", async () => {
    sim = await startTestSim();
    expect((await sim.exec('pve1', 'pvs')).stdout).toBe(
      '  PV         VG   Fmt  Attr PSize    PFree \n  /dev/sda3  pve  lvm2 a--  <464.76g 12.03g\n',
    );
    expect((await sim.exec('pve1', 'vgs')).stdout).toBe(
      '  VG   #PV #LV #SN Attr   VSize    VFree \n  pve    1   3   0 wz--n- <464.76g 12.03g\n',
    );
    const lvs = (await sim.exec('pve1', 'lvs')).stdout.split('\n');
    expect(lvs[0]).toBe('  LV   VG   Attr       LSize    Pool Origin Data% Meta% Move Log Cpy%Sync Convert');
    expect(lvs[1]).toMatch(/^ {2}data pve {2}twi-a-tz-- <341\.73g {14}0\.00 {2}0\.63 +$/);
    expect(lvs.slice(2, 4).map((l) => l.trimEnd())).toEqual(['  root pve  -wi-ao----   96.00g', '  swap pve  -wi-ao----    8.00g']);
    expect((await sim.exec('pve1', 'lvs -a')).stdout).toContain('[lvol0_pmspare]');
  });

  it('runs the seed recipe on a by-id disk; lsblk and pvs/vgs/lvs follow, in every output format', async () => {
    sim = await startTestSim();
    const dev = `/dev/disk/by-id/${byIdName(sim.node('pve1').disks[1])}`;
    const outs = [];
    for (const cmd of recipe(dev)) outs.push(await sim.exec('pve1', cmd));
    expect(outs.map((o) => [o.code, o.stdout])).toEqual([
      [0, 'The operation has completed successfully.\n'],
      [0, `  Physical volume "${dev}-part1" successfully created.\n`],
      [0, '  Volume group "vmdata" successfully created\n'],
      [0, '  Thin pool volume with chunk size 64.00 KiB can address at most 15.81 TiB of data.\n  Logical volume "vmstore" created.\n'],
    ]);
    expect((await sim.exec('pve1', 'lsblk -o NAME,FSTYPE /dev/sdb')).stdout).toMatch(
      /^NAME +FSTYPE\nsdb\n└─sdb1 +LVM2_member\n {2}├─vmdata-vmstore_tmeta\n/,
    );
    expect(
      (await sim.exec('pve1', 'lvs --noheadings --units b --nosuffix -o lv_name,vg_name,lv_size,data_percent,lv_attr vmdata')).stdout,
    ).toBe('  vmstore vmdata 85899345920 0.00 twi-a-tz--\n');
    expect((await sim.exec('pve1', 'pvs --noheadings -o pv_name,vg_name /dev/sdb1')).stdout).toBe('  /dev/sdb1  vmdata\n');
    const json = (await sim.exec('pve1', 'vgs --reportformat json -o vg_name,vg_size --units b --nosuffix vmdata')).stdout;
    expect(json).toBe(
      '  {\n      "report": [\n          {\n              "vg": [\n                  {"vg_name":"vmdata", "vg_size":"4000783007744"}\n              ]\n          }\n      ]\n  }\n',
    );
    const lvsJson = JSON.parse((await sim.exec('pve1', 'lvs --reportformat json')).stdout) as { report: { lv: { lv_name: string }[] }[] };
    expect(lvsJson.report[0].lv.map((l) => l.lv_name)).toEqual(['data', 'root', 'swap', 'vmstore']);
    expect(sim.state('pve1').disks.find((d) => d.name === 'sdb')?.used).toBe('LVM');
    const listed = JSON.parse((await sim.exec('pve1', 'pvesh get /nodes/pve1/disks/list --output-format json')).stdout) as {
      devpath: string;
      used?: string;
    }[];
    expect(listed.find((d) => d.devpath === '/dev/sdb')?.used).toBe('LVM');
  });

  it('mirrors LVM errors and exit codes (bad size, missing VG, duplicate LV, no space)', async () => {
    sim = await startTestSim();
    for (const cmd of recipe('/dev/sdb').slice(0, 3)) expect((await sim.exec('pve1', cmd)).code).toBe(0);
    const cases: [string, number, string][] = [
      [
        'lvcreate -L 100%FREE -T -n vmstore vmdata',
        3,
        '  Invalid argument for --size: 100%FREE\n  Error during parsing of command line.\n',
      ],
      ['lvcreate -L 10G -T -n vmstore nope', 5, '  Volume group "nope" not found\n  Cannot process volume group nope\n'],
      [
        'lvcreate -L 10T -T -n vmstore vmdata',
        5,
        '  Volume group "vmdata" has insufficient free space (953861 extents): 2621480 required.\n',
      ],
      ['lvcreate -L 10G -T -n bad/name vmdata', 3, '  Logical volume name "bad/name" is invalid.\n'],
      ['vgcreate vmdata /dev/sdc', 5, '  A volume group called vmdata already exists.\n'],
      ['pvs /dev/sdz1', 5, '  Failed to find physical volume "/dev/sdz1".\n'],
      ['lvs -o lv_name,nosuch', 3, '  Unrecognised field: nosuch\n'],
    ];
    for (const [cmd, code, stderr] of cases) expect(await sim.exec('pve1', cmd), cmd).toMatchObject({ code, stderr });
    expect((await sim.exec('pve1', 'lvcreate -l 100%FREE -T -n vmstore vmdata')).code).toBe(0);
    expect((await sim.exec('pve1', 'vgs --noheadings -o vg_free --units b --nosuffix vmdata')).stdout).toBe('  0\n');
    expect(await sim.exec('pve1', 'lvcreate -L 10G -T -n vmstore vmdata')).toMatchObject({
      code: 5,
      stderr: '  Logical Volume "vmstore" already exists in volume group "vmdata"\n',
    });
    expect(
      (await sim.exec('pve1', 'lvcreate -n vz -V 10G vmdata/vmstore && lvs --noheadings -o lv_name,pool_lv,lv_attr vmdata')).stdout,
    ).toBe('  Logical volume "vz" created.\n  vmstore         twi-a-tz--\n  vz      vmstore Vwi-a-tz--\n');
  });

  it('lsblk draws the new VG under its PV: the thin pool with _tmeta, _tdata, -tpool and its thin volumes', async () => {
    sim = await startTestSim();
    for (const cmd of [...recipe('/dev/sdb'), 'lvcreate -V 10G -n vm-100-disk-0 vmdata/vmstore'])
      expect((await sim.exec('pve1', cmd)).code).toBe(0);
    expect((await sim.exec('pve1', 'lsblk -o NAME,MAJ:MIN,SIZE,TYPE /dev/sdb')).stdout).toBe(
      [
        'NAME                            MAJ:MIN SIZE TYPE',
        'sdb                                8:16 3.6T disk',
        '└─sdb1                             8:17 3.6T part',
        '  ├─vmdata-vmstore_tmeta          252:6  80M lvm',
        '  │ └─vmdata-vmstore-tpool        252:8  80G lvm',
        '  │   ├─vmdata-vmstore            252:9  80G lvm',
        '  │   └─vmdata-vm--100--disk--0  252:10  10G lvm',
        '  └─vmdata-vmstore_tdata          252:7  80G lvm',
        '    └─vmdata-vmstore-tpool        252:8  80G lvm',
        '      ├─vmdata-vmstore            252:9  80G lvm',
        '      └─vmdata-vm--100--disk--0  252:10  10G lvm',
        '',
      ].join('\n'),
    );
  });

  it('a disk that holds a PV is refused again: pvcreate, sgdisk, zpool create; a partitioned disk is not a PV', async () => {
    sim = await startTestSim();
    for (const cmd of [...recipe('/dev/sdb')]) expect((await sim.exec('pve1', cmd)).code).toBe(0);
    const cases: [string, number, string][] = [
      [
        'pvcreate /dev/sdb1',
        5,
        '  Can\'t initialize physical volume "/dev/sdb1" of volume group "vmdata" without -ff\n  /dev/sdb1: physical volume not initialized.\n',
      ],
      ['pvcreate --metadatasize 250k -y -ff /dev/sdb1', 5, "  Can't open /dev/sdb1 exclusively.  Mounted filesystem?\n"],
      ['pvcreate -y /dev/sdb', 5, '  Cannot use /dev/sdb: device is partitioned\n'],
      ['pvcreate -y /dev/sdz', 5, '  Cannot use /dev/sdz: device not found\n'],
      ['zpool create -f tank /dev/sdb', 1, '/dev/sdb is in use and contains a unknown filesystem.\n'],
      ['sgdisk -N 1 /dev/sdb', 4, 'Error encountered; not saving changes.\n'],
      ['sgdisk -N 1 /dev/sdz', 2, 'Problem opening /dev/sdz for reading! Error is 2.\nThe specified file does not exist!\n'],
    ];
    for (const [cmd, code, stderr] of cases) expect(await sim.exec('pve1', cmd), cmd).toMatchObject({ code, stderr });
    // A PV outside any VG only carries a signature: zpool needs -f, and then takes the disk.
    expect((await sim.exec('pve1', 'sgdisk -N 1 /dev/sdc && pvcreate -y /dev/sdc1')).code).toBe(0);
    expect(await sim.exec('pve1', 'zpool create tank /dev/sdc')).toMatchObject({
      code: 1,
      stderr:
        "invalid vdev specification\nuse '-f' to override the following errors:\n/dev/sdc1 contains a filesystem of type 'LVM2_member'\n",
    });
    expect((await sim.exec('pve1', 'zpool create -f tank /dev/sdc && pvs --noheadings -o pv_name')).stdout).toBe(
      '  /dev/sda3 \n  /dev/sdb1 \n',
    );
    // A foreign signature is wiped only when -y answers the prompt.
    sim.node('pve1').disks[3].partitions.push({ name: 'sdd1', size: 1e12, fstype: 'ext4', mountpoint: null });
    const refused = await sim.exec('pve1', 'pvcreate /dev/sdd1');
    expect([refused.code, refused.stderr.includes('  Aborted wiping of ext4.\n')]).toEqual([5, true]);
    expect((await sim.exec('pve1', 'pvcreate -y /dev/sdd1')).stdout).toBe(
      'WARNING: ext4 signature detected on /dev/sdd1 at offset 1080. Wipe it? [y/n]: [y]\n  Wiping ext4 signature on /dev/sdd1.\n  Physical volume "/dev/sdd1" successfully created.\n',
    );
  });

  it('pvesm add lvmthin writes storage.cfg like PVE; sgdisk -Z clears an unused disk', async () => {
    sim = await startTestSim();
    for (const cmd of recipe('/dev/sdb')) await sim.exec('pve1', cmd);
    expect(
      (await sim.exec('pve1', 'pvesm add lvmthin vmstore --vgname vmdata --thinpool vmstore --content images,rootdir --nodes pve1')).code,
    ).toBe(0);
    expect(sim.readFile('pve2', '/etc/pve/storage.cfg')).toContain(
      'lvmthin: vmstore\n\tvgname vmdata\n\tthinpool vmstore\n\tcontent images,rootdir\n\tnodes pve1\n',
    );
    expect((await sim.exec('pve1', 'pvesm status --storage vmstore')).stdout).toMatch(
      /\nvmstore +lvmthin +active +83886080 +0 +83886080 +0\.00%\n$/,
    );
    await sim.exec('pve1', 'pvesm set vmstore --delete nodes');
    expect((await sim.exec('pve2', 'pvesm status --storage vmstore')).stdout).toMatch(/\nvmstore +lvmthin +inactive +0 +0 +0 +0\.00%\n$/);
    expect((await sim.exec('pve1', 'sgdisk -Z /dev/sdb')).code).toBe(4);
    expect((await sim.exec('pve1', 'sgdisk -N 1 /dev/sdc && sgdisk --zap-all /dev/sdc && lsblk -n -o NAME /dev/sdc')).stdout).toBe(
      'The operation has completed successfully.\nGPT data structures destroyed! You may now partition the disk using fdisk or\nother utilities.\nsdc\n',
    );
  });
});
