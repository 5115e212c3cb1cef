import { describe, expect, it } from 'vitest';
import { parseSmartctl, parseSmartSection } from './smart';

// pve-outputs.md §5.1: the 7.3 banner of a PVE 8 host.
const BANNER =
  'smartctl 7.3 2022-02-28 r5338 [x86_64-linux-6.8.12-4-pve] (local build)\nCopyright (C) 2002-22, Bruce Allen, Christian Franke, www.smartmontools.org\n\n';
const ATTRS_HEAD =
  'SMART Attributes Data Structure revision number: 16\nVendor Specific SMART Attributes with Thresholds:\nID# ATTRIBUTE_NAME          FLAG     VALUE WORST THRESH TYPE      UPDATED  WHEN_FAILED RAW_VALUE\n';
const PASSED = `${BANNER}=== START OF READ SMART DATA SECTION ===\nSMART overall-health self-assessment test result: PASSED\n\n${ATTRS_HEAD}  5 Reallocated_Sector_Ct   0x0033   200   200   140    Pre-fail  Always       -       0\n\n`;

describe('parseSmartctl', () => {
  it('passes a PASSED verdict (and the SAS OK form) with no attribute failing now', () => {
    expect(parseSmartctl(PASSED, 0)).toEqual({ health: 'PASSED', lines: ['SMART overall-health self-assessment test result: PASSED'] });
    expect(parseSmartctl(`${BANNER}=== START OF READ SMART DATA SECTION ===\nSMART Health Status: OK\n\n`, 0)).toEqual({
      health: 'PASSED',
      lines: ['SMART Health Status: OK'],
    });
    // Exit 64 (device error log has errors) is no failure for PVE: only bits 0-1 are.
    expect(parseSmartctl(PASSED, 64).health).toBe('PASSED');
  });

  it('fails an ATA FAILED! verdict with its explanation, and failing attributes (exit 24)', () => {
    const failed = `${BANNER}=== START OF READ SMART DATA SECTION ===\nSMART overall-health self-assessment test result: FAILED!\nDrive failure expected in less than 24 hours. SAVE ALL DATA.\nFailed Attributes:\nID# ATTRIBUTE_NAME          FLAG     VALUE WORST THRESH TYPE      UPDATED  WHEN_FAILED RAW_VALUE\n  5 Reallocated_Sector_Ct   0x0033   001   001   005    Pre-fail  Always   FAILING_NOW 2010\n\n${ATTRS_HEAD}  5 Reallocated_Sector_Ct   0x0033   001   001   005    Pre-fail  Always   FAILING_NOW 2010\n\n`;
    expect(parseSmartctl(failed, 24)).toEqual({
      health: 'FAILED',
      lines: [
        'SMART overall-health self-assessment test result: FAILED!',
        'Drive failure expected in less than 24 hours. SAVE ALL DATA.',
        'Failed Attributes:',
        'ID# ATTRIBUTE_NAME          FLAG     VALUE WORST THRESH TYPE      UPDATED  WHEN_FAILED RAW_VALUE',
        '  5 Reallocated_Sector_Ct   0x0033   001   001   005    Pre-fail  Always   FAILING_NOW 2010',
      ],
    });
  });

  it('fails a PASSED verdict when an attribute is failing now', () => {
    const row = '190 Airflow_Temperature_Cel 0x0022   045   040   045    Old_age   Always   FAILING_NOW 55';
    const out = `${BANNER}=== START OF READ SMART DATA SECTION ===\nSMART overall-health self-assessment test result: PASSED\n\n${ATTRS_HEAD}${row}\n\n`;
    expect(parseSmartctl(out, 0)).toEqual({ health: 'FAILED', lines: ['SMART overall-health self-assessment test result: PASSED', row] });
  });

  it('fails an NVMe verdict with its critical warnings', () => {
    const out = `${BANNER}=== START OF SMART DATA SECTION ===\nSMART overall-health self-assessment test result: FAILED!\n- available spare has fallen below threshold\n- NVM subsystem reliability has been degraded\n\nSMART/Health Information (NVMe Log 0x02)\nCritical Warning:                   0x05\n\n`;
    expect(parseSmartctl(out, 8)).toEqual({
      health: 'FAILED',
      lines: [
        'SMART overall-health self-assessment test result: FAILED!',
        '- available spare has fallen below threshold',
        '- NVM subsystem reliability has been degraded',
      ],
    });
  });

  it('tells disabled SMART from a device without it, one smartctl cannot open, and no smartctl at all', () => {
    expect(
      parseSmartctl(`${BANNER}SMART Disabled. Use option -s with argument 'on' to enable it.\n(override with '-T permissive' option)\n`, 4),
    ).toEqual({ health: 'disabled', lines: ["SMART Disabled. Use option -s with argument 'on' to enable it."] });
    expect(
      parseSmartctl(
        `${BANNER}SMART support is: Unavailable - device lacks SMART capability.\n\nA mandatory SMART command failed: exiting. To continue, add one or more '-T permissive' options.\n`,
        4,
      ),
    ).toEqual({
      health: 'unavailable',
      lines: [
        'SMART support is: Unavailable - device lacks SMART capability.',
        "A mandatory SMART command failed: exiting. To continue, add one or more '-T permissive' options.",
      ],
    });
    expect(parseSmartctl(`${BANNER}Smartctl open device: /dev/sdz failed: No such device\n`, 2)).toEqual({
      health: 'unavailable',
      lines: ['Smartctl open device: /dev/sdz failed: No such device'],
    });
    expect(parseSmartctl('', 127)).toEqual({ health: 'unavailable', lines: [] });
  });
});

describe('parseSmartSection', () => {
  it('reads one block per disk and leaves out a block that did not end', () => {
    const text = `==> /dev/sda <==\n${PASSED}<== exit 0\n==> /dev/sdb <==\n${BANNER}SMART Disabled. Use option -s with argument 'on' to enable it.\n<== exit 4\n==> /dev/sdc <==\n${BANNER}`;
    const found = parseSmartSection(text);
    expect([...found.keys()]).toEqual(['/dev/sda', '/dev/sdb']);
    expect(found.get('/dev/sda')?.health).toBe('PASSED');
    expect(found.get('/dev/sdb')?.health).toBe('disabled');
    expect(parseSmartSection('').size).toBe(0);
  });
});
