import { describe, expect, it } from 'vitest';
import { splitSections, type FactSections } from '../facts-script';
import { parsePools } from './pools';

const sections = (v: Partial<FactSections>): FactSections => ({
  ...splitSections(''),
  pveversion: 'pve-manager/8.4.11/14a32011146091ed (running kernel: 6.8.12-13-pve)',
  ...v,
});
const lines = (...l: string[]) => l.join('\n');

// Simulator, pve1 after `zpool create tank mirror /dev/sdb /dev/sdc` and `zpool create -f solo /dev/sdd`.
const SIM_LIST = 'solo\t3980783094865\tONLINE\ntank\t3980783094865\tONLINE';
const SIM_STATUS =
  '  pool: solo\n state: ONLINE\nconfig:\n\n\tNAME        STATE     READ WRITE CKSUM\n\tsolo        ONLINE       0     0     0\n\t  sdd       ONLINE       0     0     0\n\nerrors: No known data errors\n\n  pool: tank\n state: ONLINE\nconfig:\n\n\tNAME        STATE     READ WRITE CKSUM\n\ttank        ONLINE       0     0     0\n\t  mirror-0  ONLINE       0     0     0\n\t    sdb     ONLINE       0     0     0\n\t    sdc     ONLINE       0     0     0\n\nerrors: No known data errors';

// pve-outputs.md §12.1 (constructed from zpool_main.c): mirror, mirrored log, two cache devices; as -P prints it.
const MIRROR_LOG_CACHE = lines(
  '  pool: tank',
  ' state: ONLINE',
  'config:',
  '',
  '\tNAME                STATE     READ WRITE CKSUM',
  '\ttank                ONLINE       0     0     0',
  '\t  mirror-0          ONLINE       0     0     0',
  '\t    /dev/sdb1       ONLINE       0     0     0',
  '\t    /dev/sdc1       ONLINE       0     0     0',
  '\tlogs\t',
  '\t  mirror-1          ONLINE       0     0     0',
  '\t    /dev/nvme0n1p1  ONLINE       0     0     0',
  '\t    /dev/nvme1n1p1  ONLINE       0     0     0',
  '\tcache',
  '\t  /dev/nvme0n1p2    ONLINE       0     0     0',
  '\t  /dev/nvme1n1p2    ONLINE       0     0     0',
  '',
  'errors: No known data errors',
);

// pve-outputs.md §12.1: raidz2 over by-id paths, after a scrub.
const RAIDZ2 = lines(
  '  pool: tank',
  ' state: ONLINE',
  '  scan: scrub repaired 0B in 00:00:02 with 0 errors on Sun Mar  8 00:24:03 2026',
  'config:',
  '',
  '\tNAME                                          STATE     READ WRITE CKSUM',
  '\ttank                                          ONLINE       0     0     0',
  '\t  raidz2-0                                    ONLINE       0     0     0',
  ...[1, 2, 3, 4, 5, 6].map((i) => `\t    ata-WDC_WD40EFRX-68N32N0_WD-WCC7K100000${i}  ONLINE       0     0     0`),
  '',
  'errors: No known data errors',
);

// A degraded mirror mid-replacement, with a spare and a log disk; status text lines start with a TAB too.
const DEGRADED = lines(
  '  pool: data',
  ' state: DEGRADED',
  'status: One or more devices could not be opened.  Sufficient replicas exist for',
  '\tthe pool to continue functioning in a degraded state.',
  "action: Attach the missing device and online it using 'zpool online'.",
  '   see: https://openzfs.github.io/openzfs-docs/msg/ZFS-8000-2Q',
  'config:',
  '',
  '\tNAME                 STATE     READ WRITE CKSUM',
  '\tdata                 DEGRADED     0     0     0',
  '\t  mirror-0           DEGRADED     0     0     0',
  '\t    replacing-0      DEGRADED     0     0     0',
  '\t      /dev/sdb1      UNAVAIL      0     0     0  was /dev/sdb1',
  '\t      /dev/sdd1      ONLINE       0     0     0  (resilvering)',
  '\t    /dev/sdc1        ONLINE       0     0     0',
  '\t  raidz1-1           ONLINE       0     0     0',
  '\t    /dev/sdf1        ONLINE       0     0     0',
  '\t    /dev/sdg1        ONLINE       0     0     0',
  '\tlogs\t',
  '\t  /dev/nvme0n1p1     ONLINE       0     0     0',
  '\tspares',
  '\t  /dev/sde1          AVAIL',
  '',
  'errors: No known data errors',
);

describe('parsePools', () => {
  it('reads simulated pools: a mirror and a single disk', () => {
    expect(parsePools(sections({ poolList: SIM_LIST, poolStatus: SIM_STATUS }))).toEqual([
      { name: 'solo', health: 'ONLINE', sizeBytes: 3980783094865, vdevs: [{ type: 'disk', devices: ['sdd'] }], cache: [], log: [] },
      {
        name: 'tank',
        health: 'ONLINE',
        sizeBytes: 3980783094865,
        vdevs: [{ type: 'mirror', devices: ['sdb', 'sdc'] }],
        cache: [],
        log: [],
      },
    ]);
  });

  it('reads a striped pool as one disk vdev per device', () => {
    const status =
      '  pool: tank\n state: ONLINE\nconfig:\n\n\tNAME        STATE     READ WRITE CKSUM\n\ttank        ONLINE       0     0     0\n\t  sdb       ONLINE       0     0     0\n\t  sdc       ONLINE       0     0     0\n\nerrors: No known data errors\n';
    expect(parsePools(sections({ poolList: 'tank\t7961566189730\tONLINE', poolStatus: status }))?.[0].vdevs).toEqual([
      { type: 'disk', devices: ['sdb'] },
      { type: 'disk', devices: ['sdc'] },
    ]);
  });

  it('separates log and cache devices from data vdevs', () => {
    expect(parsePools(sections({ poolList: 'tank\t3985729650688\tONLINE\n', poolStatus: MIRROR_LOG_CACHE }))).toEqual([
      {
        name: 'tank',
        health: 'ONLINE',
        sizeBytes: 3985729650688,
        vdevs: [{ type: 'mirror', devices: ['/dev/sdb1', '/dev/sdc1'] }],
        cache: ['/dev/nvme0n1p2', '/dev/nvme1n1p2'],
        log: ['/dev/nvme0n1p1', '/dev/nvme1n1p1'],
      },
    ]);
  });

  it('reads raidz2 over by-id names', () => {
    const [pool] = parsePools(sections({ poolList: 'tank\t23991808425984\tONLINE', poolStatus: RAIDZ2 })) ?? [];
    expect(pool.vdevs).toEqual([{ type: 'raidz2', devices: [1, 2, 3, 4, 5, 6].map((i) => `ata-WDC_WD40EFRX-68N32N0_WD-WCC7K100000${i}`) }]);
  });

  it('keeps devices under replacing-N in their top-level vdev and drops spares', () => {
    expect(parsePools(sections({ poolList: 'data\t7971459301376\tDEGRADED', poolStatus: DEGRADED }))).toEqual([
      {
        name: 'data',
        health: 'DEGRADED',
        sizeBytes: 7971459301376,
        vdevs: [
          { type: 'mirror', devices: ['/dev/sdb1', '/dev/sdd1', '/dev/sdc1'] },
          { type: 'raidz1', devices: ['/dev/sdf1', '/dev/sdg1'] },
        ],
        cache: [],
        log: ['/dev/nvme0n1p1'],
      },
    ]);
  });

  it('maps raidz3, dRAID and a top-level replacing vdev', () => {
    const status = lines(
      '  pool: big',
      ' state: ONLINE',
      'config:',
      '',
      '\tNAME                  STATE     READ WRITE CKSUM',
      '\tbig                   ONLINE       0     0     0',
      '\t  raidz3-0            ONLINE       0     0     0',
      '\t    sda               ONLINE       0     0     0',
      '\t  draid2:4d:7c:1s-1   ONLINE       0     0     0',
      '\t    sdb               ONLINE       0     0     0',
      '\t  replacing-2         ONLINE       0     0     0',
      '\t    sdc               ONLINE       0     0     0',
      '\t    sdd               ONLINE       0     0     0',
    );
    expect(parsePools(sections({ poolList: 'big\t1\tONLINE', poolStatus: status }))?.[0].vdevs).toEqual([
      { type: 'raidz3', devices: ['sda'] },
      { type: 'draid2', devices: ['sdb'] },
      { type: 'disk', devices: ['sdc', 'sdd'] },
    ]);
  });

  it('keeps a pool zpool status knows but the list lacks, and a size that is not a number', () => {
    expect(parsePools(sections({ poolList: 'solo\t-\tONLINE', poolStatus: SIM_STATUS }))).toEqual([
      { name: 'solo', health: 'ONLINE', sizeBytes: null, vdevs: [{ type: 'disk', devices: ['sdd'] }], cache: [], log: [] },
      { name: 'tank', health: 'ONLINE', sizeBytes: null, vdevs: [{ type: 'mirror', devices: ['sdb', 'sdc'] }], cache: [], log: [] },
    ]);
    expect(parsePools(sections({ poolList: 'tank\t100\tONLINE' }))).toEqual([
      { name: 'tank', health: 'ONLINE', sizeBytes: 100, vdevs: [], cache: [], log: [] },
    ]);
  });

  it('is [] on a PVE node without pools and null without PVE, where zpool may be missing', () => {
    expect(parsePools(sections({}))).toEqual([]);
    expect(parsePools(sections({ pveversion: '' }))).toBeNull();
  });

  it('ignores odd lines', () => {
    expect(parsePools(sections({ poolList: 'nonsense\n\n', poolStatus: '\tNAME STATE\n\t  x\nconfig:\n' }))).toEqual([]);
  });
});
