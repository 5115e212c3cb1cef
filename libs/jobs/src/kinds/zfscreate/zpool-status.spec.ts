import { describe, expect, it } from 'vitest';
import { parseZpoolStatus } from './zpool-status';

// pve-outputs §12.1, TABs as zpool prints them (`\tlogs\t` has a trailing TAB, `\tcache` none).
const MIRROR_LOG_CACHE = [
  '  pool: tank',
  ' state: ONLINE',
  'config:',
  '',
  '\tNAME           STATE     READ WRITE CKSUM',
  '\ttank           ONLINE       0     0     0',
  '\t  mirror-0     ONLINE       0     0     0',
  '\t    sdb        ONLINE       0     0     0',
  '\t    sdc        ONLINE       0     0     0',
  '\tlogs\t',
  '\t  mirror-1     ONLINE       0     0     0',
  '\t    nvme0n1p1  ONLINE       0     0     0',
  '\t    nvme1n1p1  ONLINE       0     0     0',
  '\tcache',
  '\t  nvme0n1p2    ONLINE       0     0     0',
  '\t  nvme1n1p2    ONLINE       0     0     0',
  '',
  'errors: No known data errors',
  '',
].join('\n');

describe('zpool status parser', () => {
  it('reads data vdevs, logs and cache with their devices', () => {
    expect(parseZpoolStatus(MIRROR_LOG_CACHE)).toEqual({
      name: 'tank',
      state: 'ONLINE',
      layout: { vdevs: [{ type: 'mirror', devices: ['sdb', 'sdc'] }], log: ['nvme0n1p1', 'nvme1n1p1'], cache: ['nvme0n1p2', 'nvme1n1p2'] },
      leaves: ['sdb', 'sdc', 'nvme0n1p1', 'nvme1n1p1', 'nvme0n1p2', 'nvme1n1p2'].map((name) => ({ name, state: 'ONLINE' })),
    });
  });

  it('reads -P paths, raid10 as several mirrors, single disks and raidz levels', () => {
    const text = [
      '  pool: tank',
      ' state: DEGRADED',
      'status: One or more devices could not be opened.  Sufficient replicas exist for',
      '\tthe pool to continue functioning in a degraded state.',
      '  scan: scrub repaired 0B in 00:00:02 with 0 errors on Sun Mar  8 00:24:03 2026',
      'config:',
      '',
      '\tNAME                                                STATE     READ WRITE CKSUM',
      '\ttank                                                DEGRADED     0     0     0',
      '\t  mirror-0                                          ONLINE       0     0     0',
      '\t    /dev/disk/by-id/ata-WDC_WD40EFRX_WD-1-part1     ONLINE       0     0     0',
      '\t    /dev/sdc1                                       ONLINE       0     0     0',
      '\t  mirror-1                                          DEGRADED     0     0     0',
      '\t    /dev/sdd1                                       UNAVAIL      0     0     0',
      '\t    /dev/sde1                                       ONLINE       0     0     0',
      '',
      'errors: No known data errors',
    ].join('\n');
    const status = parseZpoolStatus(text)!;
    expect(status.state).toBe('DEGRADED');
    expect(status.layout.vdevs).toEqual([
      { type: 'mirror', devices: ['/dev/disk/by-id/ata-WDC_WD40EFRX_WD-1-part1', '/dev/sdc1'] },
      { type: 'mirror', devices: ['/dev/sdd1', '/dev/sde1'] },
    ]);
    expect(status.leaves.filter((l) => l.state !== 'ONLINE')).toEqual([{ name: '/dev/sdd1', state: 'UNAVAIL' }]);

    const raidz = parseZpoolStatus(
      '  pool: z\n state: ONLINE\nconfig:\n\n\tNAME        STATE     READ WRITE CKSUM\n\tz           ONLINE       0     0     0\n\t  raidz3-0  ONLINE       0     0     0\n\t    sdb     ONLINE       0     0     0\n\n',
    );
    expect(raidz?.layout.vdevs).toEqual([{ type: 'raidz3', devices: ['sdb'] }]);
    const single = parseZpoolStatus(
      '  pool: s\n state: ONLINE\nconfig:\n\n\tNAME        STATE     READ WRITE CKSUM\n\ts           ONLINE       0     0     0\n\t  /dev/sdb1 ONLINE       0     0     0\n\nerrors: No known data errors\n',
    );
    expect(single?.layout).toEqual({ vdevs: [{ type: 'disk', devices: ['/dev/sdb1'] }], cache: [], log: [] });
  });

  it('no pool header: nothing to read', () => {
    expect(parseZpoolStatus('')).toBeUndefined();
    expect(parseZpoolStatus("cannot open 'tank': no such pool")).toBeUndefined();
  });
});
