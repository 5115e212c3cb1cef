import { describe, expect, it } from 'vitest';
import { parseStorages } from './storages';

// Simulator, PVE 8 (old header).
const SIM_PVE8 =
  'Name            Type     Status           Total            Used       Available        %\nlocal            dir     active        67169672        48329328        18840344   71.95%\nlocal-lvm    lvmthin     active       153374720       109233475        44141245   71.22%';

// pve-commands.md §6.4 (libpve-storage-perl >= 9.0.14 header), plus a disabled and an inactive storage.
const NEW_HEADER = `Name             Type     Status     Total (KiB)      Used (KiB) Available (KiB)        %
local             dir     active        67169672        48329328        15382504   71.95%
local-lvm     lvmthin     active       153374720       109233475        44141244   71.22%
backup            pbs   disabled               0               0               0      N/A
tank          zfspool   inactive               0               0               0    0.00%
`;

describe('parseStorages', () => {
  it('reads the old header variant (simulator, PVE 8)', () => {
    expect(parseStorages(SIM_PVE8)).toEqual([
      { id: 'local', type: 'dir', status: 'active' },
      { id: 'local-lvm', type: 'lvmthin', status: 'active' },
    ]);
  });

  it('reads the KiB header variant with disabled and inactive storages', () => {
    expect(parseStorages(NEW_HEADER)).toEqual([
      { id: 'local', type: 'dir', status: 'active' },
      { id: 'local-lvm', type: 'lvmthin', status: 'active' },
      { id: 'backup', type: 'pbs', status: 'disabled' },
      { id: 'tank', type: 'zfspool', status: 'inactive' },
    ]);
  });

  it('is null when empty and [] for a header alone; short lines are skipped', () => {
    expect(parseStorages('')).toBeNull();
    expect(parseStorages('Name Type Status Total Used Available %\n')).toEqual([]);
    expect(parseStorages('garbage\n\n')).toEqual([]);
  });
});
