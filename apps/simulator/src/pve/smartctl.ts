import type { NodeProgram, SimNode } from '../model/node';
import { out } from '../shell/command';
import { byIdName, Disk } from '../model/disks';
import { findBlockDevice } from '../model/lvm';
import { setSmartState, smartState, SmartState } from '../model/smart';

/** smartctl's exit status bits (pve-outputs §5.2). */
const FAILCMD = 1;
const FAILDEV = 2;
const FAILSMART = 4;
const FAILSTATUS = 8;

/**
 * `smartctl [-H] [-A] [-i] [-a] [-s on|off] DEVICE` for ATA and NVMe disks, in smartmontools' own
 * layout (pve-outputs §5): a banner, then the sections asked for, with the exit status bit mask.
 */
export const smartctlPrograms: Record<string, NodeProgram> = {
  smartctl: (node, ctx) => {
    const args = ctx.argv.slice(1);
    const want = { health: false, attrs: false, info: false, enable: undefined as boolean | undefined };
    let device: string | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '-H' || a === '--health') want.health = true;
      else if (a === '-A' || a === '--attributes') want.attrs = true;
      else if (a === '-i' || a === '--info') want.info = true;
      else if (a === '-a' || a === '--all' || a === '-x' || a === '--xall') want.health = want.attrs = want.info = true;
      else if (a === '-s' || a === '--smart') want.enable = args[++i] === 'on';
      else if (a.startsWith('--smart=')) want.enable = a.endsWith('=on');
      else if (a === '-d' || a === '-n' || a === '-T') i++;
      else if (/^-[HAia]+$/.test(a)) for (const c of a.slice(1)) Object.assign(want, flagFor(c));
      else if (!a.startsWith('-')) device = a;
    }
    const banner = bannerOf(node);
    if (!device) {
      out(
        ctx,
        `${banner}ERROR: smartctl requires a device name as the final command-line argument.\n\n\nUse smartctl -h to get a usage summary\n\n`,
      );
      return FAILCMD;
    }
    const dev = findBlockDevice(node.disks, device, byIdName);
    if (!dev || dev.partition) {
      out(ctx, `${banner}Smartctl open device: ${device} failed: No such device\n`);
      return FAILDEV;
    }
    const disk = dev.disk;
    let state = smartState(node, disk);
    let text = banner;
    let code = 0;
    if (want.info) text += info(node, disk, state);
    if (want.enable !== undefined && disk.kind !== 'nvme') {
      if (state === 'unavailable') return (out(ctx, `${text}${unavailable()}`), FAILSMART);
      if (want.enable && state === 'disabled') setSmartState(node, disk, 'healthy');
      if (!want.enable && state !== 'disabled') setSmartState(node, disk, 'disabled');
      state = smartState(node, disk);
      text += `=== START OF ENABLE/DISABLE COMMANDS SECTION ===\nSMART ${want.enable ? 'Enabled' : 'Disabled'}.\n\n`;
    }
    if (want.health || want.attrs) {
      if (state === 'unavailable') return (out(ctx, `${text}${unavailable()}`), code | FAILSMART);
      if (state === 'disabled') {
        out(ctx, `${text}SMART Disabled. Use option -s with argument 'on' to enable it.\n(override with '-T permissive' option)\n`);
        return code | FAILSMART;
      }
      text += disk.kind === 'nvme' ? '=== START OF SMART DATA SECTION ===\n' : '=== START OF READ SMART DATA SECTION ===\n';
      if (want.health) {
        text += health(disk, state);
        if (state === 'failing') code |= FAILSTATUS;
      }
      if (want.attrs) text += disk.kind === 'nvme' ? nvmeHealthLog(disk, state) : ataAttributes(disk, state);
    }
    out(ctx, text);
    return code;
  },
};

function flagFor(c: string): Record<string, boolean> {
  if (c === 'H') return { health: true };
  if (c === 'A') return { attrs: true };
  if (c === 'i') return { info: true };
  return { health: true, attrs: true, info: true };
}

/** 7.3 on PVE 8 (bookworm), 7.4 on PVE 9 (trixie). */
function bannerOf(node: SimNode): string {
  const v =
    node.pveMajor >= 9
      ? 'smartctl 7.4 2023-08-01 r5530 [x86_64-linux-KERNEL] (local build)\nCopyright (C) 2002-23, Bruce Allen, Christian Franke, www.smartmontools.org\n'
      : 'smartctl 7.3 2022-02-28 r5338 [x86_64-linux-KERNEL] (local build)\nCopyright (C) 2002-22, Bruce Allen, Christian Franke, www.smartmontools.org\n';
  return `${v.replace('KERNEL', node.runningKernel)}\n`;
}

const unavailable = (): string =>
  "SMART support is: Unavailable - device lacks SMART capability.\n\nA mandatory SMART command failed: exiting. To continue, add one or more '-T permissive' options.\n";

function health(disk: Disk, state: SmartState): string {
  if (state !== 'failing') return 'SMART overall-health self-assessment test result: PASSED\n\n';
  if (disk.kind === 'nvme')
    return 'SMART overall-health self-assessment test result: FAILED!\n- available spare has fallen below threshold\n- NVM subsystem reliability has been degraded\n\n';
  return 'SMART overall-health self-assessment test result: FAILED!\nDrive failure expected in less than 24 hours. SAVE ALL DATA.\nNo failed Attributes found.\n\n';
}

const thousands = (n: number): string => n.toLocaleString('en-US');
const decimalSize = (n: number): string => {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(2)} ${units[u]}`;
};
const field = (label: string, value: string, width: number): string => `${`${label}:`.padEnd(width)}${value}\n`;

function info(node: SimNode, disk: Disk, state: SmartState): string {
  const now = new Date(node.sim.now()).toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1 $3 $2 $5 $4 UTC');
  if (disk.kind === 'nvme') {
    const f = (l: string, v: string): string => field(l, v, 36);
    return (
      '=== START OF INFORMATION SECTION ===\n' +
      f('Model Number', disk.model) +
      f('Serial Number', disk.serial) +
      f('Firmware Version', '5B2QGXA7') +
      f('PCI Vendor/Subsystem ID', '0x144d') +
      f('IEEE OUI Identifier', '0x002538') +
      f('Total NVM Capacity', `${thousands(disk.size)} [${decimalSize(disk.size)}]`) +
      f('Unallocated NVM Capacity', '0') +
      f('Controller ID', '6') +
      f('NVMe Version', '1.3') +
      f('Number of Namespaces', '1') +
      f('Namespace 1 Size/Capacity', `${thousands(disk.size)} [${decimalSize(disk.size)}]`) +
      f('Namespace 1 Formatted LBA Size', '512') +
      f('Namespace 1 IEEE EUI-64', disk.wwn.replace(/^eui\./, '').replace(/^(.{6})/, '$1 ')) +
      f('Local Time is', now) +
      '\n'
    );
  }
  const f = (l: string, v: string): string => field(l, v, 18);
  const hdd = disk.kind === 'hdd';
  const wwn = disk.wwn.replace(/^0x/, '');
  return (
    '=== START OF INFORMATION SECTION ===\n' +
    f('Model Family', hdd ? 'Western Digital Red' : 'Samsung based SSDs') +
    f('Device Model', disk.model) +
    f('Serial Number', disk.serial) +
    f('LU WWN Device Id', `${wwn[0]} ${wwn.slice(1, 7)} ${wwn.slice(7)}`) +
    f('Firmware Version', hdd ? '82.00A82' : 'SVT02B6Q') +
    f('User Capacity', `${thousands(disk.size)} bytes [${decimalSize(disk.size)}]`) +
    f('Sector Sizes', hdd ? '512 bytes logical, 4096 bytes physical' : '512 bytes logical/physical') +
    f('Rotation Rate', hdd ? '5400 rpm' : 'Solid State Device') +
    (hdd ? f('Form Factor', '3.5 inches') : f('Form Factor', '2.5 inches') + f('TRIM Command', 'Available, deterministic, zeroed')) +
    f('Device is', 'In smartctl database 7.3/5319') +
    f('ATA Version is', hdd ? 'ACS-3 T13/2161-D revision 5' : 'ACS-4 T13/BSR INCITS 529 revision 5') +
    f('SATA Version is', 'SATA 3.1, 6.0 Gb/s (current: 6.0 Gb/s)') +
    f('Local Time is', now) +
    (state === 'unavailable'
      ? f('SMART support is', 'Unavailable - device lacks SMART capability.')
      : f('SMART support is', 'Available - device has SMART capability.') +
        f('SMART support is', state === 'disabled' ? 'Disabled' : 'Enabled')) +
    '\n'
  );
}

type Attribute = [id: number, name: string, flag: number, value: number, worst: number, thresh: number, raw: number];

/** The vendor attribute table; a failing disk shows reallocated and pending sectors (still above threshold). */
function ataAttributes(disk: Disk, state: SmartState): string {
  const failing = state === 'failing';
  const hours = 20000 + (parseInt(disk.serial.slice(-4), 10) || 0);
  const rows: Attribute[] =
    disk.kind === 'hdd'
      ? [
          [1, 'Raw_Read_Error_Rate', 0x002f, 200, 200, 51, failing ? 1184 : 0],
          [3, 'Spin_Up_Time', 0x0027, 181, 177, 21, 7933],
          [4, 'Start_Stop_Count', 0x0032, 100, 100, 0, 41],
          [5, 'Reallocated_Sector_Ct', 0x0033, failing ? 143 : 200, failing ? 143 : 200, 140, failing ? 1832 : 0],
          [9, 'Power_On_Hours', 0x0032, 73, 73, 0, hours],
          [194, 'Temperature_Celsius', 0x0022, 116, 106, 0, 34],
          [197, 'Current_Pending_Sector', 0x0032, 200, 200, 0, failing ? 96 : 0],
          [198, 'Offline_Uncorrectable', 0x0030, 100, 253, 0, failing ? 12 : 0],
          [199, 'UDMA_CRC_Error_Count', 0x0032, 200, 200, 0, 0],
        ]
      : [
          [5, 'Reallocated_Sector_Ct', 0x0033, failing ? 11 : 100, failing ? 11 : 100, 10, failing ? 2010 : 0],
          [9, 'Power_On_Hours', 0x0032, 95, 95, 0, hours],
          [12, 'Power_Cycle_Count', 0x0032, 99, 99, 0, 37],
          [177, 'Wear_Leveling_Count', 0x0013, failing ? 12 : 99, failing ? 12 : 99, 0, failing ? 2904 : 4],
          [194, 'Temperature_Celsius', 0x0022, 66, 52, 0, 34],
          [199, 'CRC_Error_Count', 0x003e, 100, 100, 0, 0],
        ];
  const pad3 = (n: number): string => String(n).padStart(3, '0');
  const lines = rows.map(([id, name, flag, value, worst, thresh, raw]) => {
    const type = flag & 1 ? 'Pre-fail' : 'Old_age';
    const updated = flag & 2 ? 'Always' : 'Offline';
    return `${String(id).padStart(3)} ${name.padEnd(24)}0x${flag.toString(16).padStart(4, '0')}   ${pad3(value)}   ${pad3(worst)}   ${pad3(thresh)}    ${type.padEnd(10)}${updated.padEnd(9)}${'    -'.padEnd(12)}${raw}`;
  });
  return `SMART Attributes Data Structure revision number: 16\nVendor Specific SMART Attributes with Thresholds:\nID# ATTRIBUTE_NAME          FLAG     VALUE WORST THRESH TYPE      UPDATED  WHEN_FAILED RAW_VALUE\n${lines.join('\n')}\n\n`;
}

/** NVMe's SMART/Health Information log; a failing drive has its critical warning bits 0 and 2 set. */
function nvmeHealthLog(disk: Disk, state: SmartState): string {
  const failing = state === 'failing';
  const f = (l: string, v: string): string => field(l, v, 36);
  return (
    'SMART/Health Information (NVMe Log 0x02)\n' +
    f('Critical Warning', failing ? '0x05' : '0x00') +
    f('Temperature', '38 Celsius') +
    f('Available Spare', failing ? '4%' : '100%') +
    f('Available Spare Threshold', '10%') +
    f('Percentage Used', failing ? '103%' : '2%') +
    f('Data Units Read', '38,209,614 [19.5 TB]') +
    f('Data Units Written', '51,006,342 [26.1 TB]') +
    f('Host Read Commands', '412,853,107') +
    f('Host Write Commands', '905,117,420') +
    f('Controller Busy Time', '1,882') +
    f('Power Cycles', '37') +
    f('Power On Hours', String(20000 + (parseInt(disk.serial.slice(-4), 10) || 0))) +
    f('Unsafe Shutdowns', '9') +
    f('Media and Data Integrity Errors', failing ? '317' : '0') +
    f('Error Information Log Entries', failing ? '1,024' : '0') +
    f('Warning  Comp. Temperature Time', '0') +
    f('Critical Comp. Temperature Time', '0') +
    '\n'
  );
}
