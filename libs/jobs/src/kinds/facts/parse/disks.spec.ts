import { describe, expect, it } from 'vitest';
import { parseDisks } from './disks';

// pve-outputs.md §1.4 (constructed from pve-storage's sources and test fixture).
const NOTES =
  '[{"by_id_link":"/dev/disk/by-id/nvme-Samsung_SSD_980_PRO_1TB_S5GXNX0T123456X","devpath":"/dev/nvme0n1","gpt":0,"health":"PASSED","model":"Samsung SSD 980 PRO 1TB","osdid":-1,"osdid-list":null,"rpm":0,"serial":"S5GXNX0T123456X","size":1000204886016,"type":"nvme","vendor":"unknown","wearout":99,"wwn":"eui.002538b221b0c1d2"},{"by_id_link":"/dev/disk/by-id/ata-Samsung_SSD_870_EVO_500GB_S62ANZFN123456A","devpath":"/dev/sda","gpt":1,"health":"PASSED","model":"Samsung_SSD_870_EVO_500GB","osdid":-1,"osdid-list":null,"rpm":0,"serial":"S62ANZFN123456A","size":500107862016,"type":"ssd","used":"BIOS boot","vendor":"ATA","wearout":98,"wwn":"0x5002538f41234567"},{"by_id_link":"/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-WCC7K1234567","devpath":"/dev/sdb","gpt":0,"health":"PASSED","model":"WDC_WD40EFRX-68N32N0","osdid":-1,"osdid-list":null,"rpm":5400,"serial":"WD-WCC7K1234567","size":4000787030016,"type":"hdd","vendor":"ATA","wearout":"N/A","wwn":"0x50014ee2b1234567"},{"by_id_link":"/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-WCC7K7654321","devpath":"/dev/sdc","gpt":1,"health":"PASSED","model":"WDC_WD40EFRX-68N32N0","osdid":-1,"osdid-list":null,"rpm":5400,"serial":"WD-WCC7K7654321","size":4000787030016,"type":"hdd","used":"ZFS","vendor":"ATA","wearout":"N/A","wwn":"0x50014ee2b7654321"}]\n';

// Simulator, pve1 after `zpool create tank mirror /dev/sdb /dev/sdc` (two of five entries).
const SIM_AFTER_POOL =
  '[{"by_id_link":"/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-WCC7K0000012","devpath":"/dev/sdc","gpt":1,"health":"PASSED","model":"WDC_WD40EFRX-68N32N0","osdid":-1,"osdid-list":null,"rpm":5400,"serial":"WD-WCC7K0000012","size":4000787030016,"type":"hdd","used":"ZFS","vendor":"ATA","wearout":"N/A","wwn":"0x50014ee2b0000012"},{"by_id_link":"/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-WCC7K0000013","devpath":"/dev/sdd","gpt":0,"health":"PASSED","model":"WDC_WD40EFRX-68N32N0","osdid":-1,"osdid-list":null,"rpm":5400,"serial":"WD-WCC7K0000013","size":4000787030016,"type":"hdd","vendor":"ATA","wearout":"N/A","wwn":"0x50014ee2b0000013"}]';

describe('parseDisks', () => {
  it('reads the notes sample: free disks have used null', () => {
    const disks = parseDisks(NOTES);
    expect(disks).toHaveLength(4);
    expect(disks?.[0]).toEqual({
      path: '/dev/nvme0n1',
      byId: ['/dev/disk/by-id/nvme-Samsung_SSD_980_PRO_1TB_S5GXNX0T123456X'],
      sizeBytes: 1000204886016,
      model: 'Samsung SSD 980 PRO 1TB',
      serial: 'S5GXNX0T123456X',
      used: null,
    });
    expect(disks?.map((d) => d.used)).toEqual([null, 'BIOS boot', null, 'ZFS']);
  });

  it('reads simulator output after a pool was created', () => {
    expect(parseDisks(SIM_AFTER_POOL)).toEqual([
      {
        path: '/dev/sdc',
        byId: ['/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-WCC7K0000012'],
        sizeBytes: 4000787030016,
        model: 'WDC_WD40EFRX-68N32N0',
        serial: 'WD-WCC7K0000012',
        used: 'ZFS',
      },
      {
        path: '/dev/sdd',
        byId: ['/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-WCC7K0000013'],
        sizeBytes: 4000787030016,
        model: 'WDC_WD40EFRX-68N32N0',
        serial: 'WD-WCC7K0000013',
        used: null,
      },
    ]);
  });

  it('turns PVE\'s "unknown" serial into null and skips entries without a device path', () => {
    expect(parseDisks('[{"devpath":"/dev/vda","size":34359738368,"serial":"unknown"},{"size":1},"x",null]')).toEqual([
      { path: '/dev/vda', byId: [], sizeBytes: 34359738368, model: null, serial: null, used: null },
    ]);
  });

  it('is null when empty or not a JSON array; [] for no disks', () => {
    expect(parseDisks('')).toBeNull();
    expect(parseDisks('ipcc_send_rec[1] failed: Connection refused')).toBeNull();
    expect(parseDisks('{"devpath":"/dev/sda"}')).toBeNull();
    expect(parseDisks('[]\n')).toEqual([]);
  });
});
