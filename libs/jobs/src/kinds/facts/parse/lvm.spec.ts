import { describe, expect, it } from 'vitest';
import { parseLvm } from './lvm';

/** LVM's JSON report layout (`--reportformat json`), as on a PVE install with a second VG. */
const report = (kind: string, rows: string[]): string =>
  `  {\n      "report": [\n          {\n              "${kind}": [\n${rows.map((r) => `                  ${r}`).join(',\n')}\n              ]\n          }\n      ]\n  }\n`;

describe('parseLvm', () => {
  it('reads physical volumes and only the thin pools among the LVs', () => {
    const lvm = parseLvm({
      lvmPvs: report('pv', [
        '{"pv_name":"/dev/sda3", "vg_name":"pve", "pv_size":"499029901312"}',
        '{"pv_name":"/dev/sdb1", "vg_name":"vmdata", "pv_size":"4000783007744"}',
        '{"pv_name":"/dev/sdc1", "vg_name":"", "pv_size":"4000783007744"}',
      ]),
      lvmLvs: report('lv', [
        '{"lv_name":"data", "vg_name":"pve", "lv_attr":"twi-a-tz--", "lv_size":"366924611584"}',
        '{"lv_name":"root", "vg_name":"pve", "lv_attr":"-wi-ao----", "lv_size":"103079215104"}',
        '{"lv_name":"vm-100-disk-0", "vg_name":"pve", "lv_attr":"Vwi-a-tz--", "lv_size":"34359738368"}',
        '{"lv_name":"vmstore", "vg_name":"vmdata", "lv_attr":"twi-a-tz--", "lv_size":"85899345920"}',
      ]),
    });
    expect(lvm).toEqual({
      pvs: [
        { device: '/dev/sda3', vg: 'pve', sizeBytes: 499029901312 },
        { device: '/dev/sdb1', vg: 'vmdata', sizeBytes: 4000783007744 },
        { device: '/dev/sdc1', vg: null, sizeBytes: 4000783007744 },
      ],
      thinPools: [
        { vg: 'pve', name: 'data', sizeBytes: 366924611584 },
        { vg: 'vmdata', name: 'vmstore', sizeBytes: 85899345920 },
      ],
    });
  });

  it('is null without LVM tools, and knows no pools when lvs printed nothing', () => {
    expect(parseLvm({ lvmPvs: '', lvmLvs: '' })).toBeNull();
    expect(parseLvm({ lvmPvs: report('pv', []), lvmLvs: '' })).toEqual({ pvs: [], thinPools: [] });
  });
});
