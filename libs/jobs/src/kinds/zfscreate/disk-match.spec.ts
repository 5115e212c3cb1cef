import { describe, expect, it } from 'vitest';
import type { DiskFacts } from '../../node-facts';
import { diskKey, findDisk } from './disk-match';

const disk = (path: string, byId: string): DiskFacts => ({ path, byId: [byId], sizeBytes: 1, model: null, serial: null, used: null });
const DISKS = [
  disk('/dev/sdb', '/dev/disk/by-id/ata-WDC_1'),
  disk('/dev/nvme0n1', '/dev/disk/by-id/nvme-Samsung_2'),
  disk('/dev/sdaa', '/dev/disk/by-id/wwn-0x5'),
];

describe('disk names', () => {
  it.each([
    ['/dev/sdb', '/dev/sdb'],
    ['/dev/disk/by-id/ata-WDC_1', '/dev/sdb'],
    ['/dev/sdb1', '/dev/sdb'],
    ['/dev/disk/by-id/ata-WDC_1-part1', '/dev/sdb'],
    ['sdb', '/dev/sdb'],
    ['ata-WDC_1', '/dev/sdb'],
    ['/dev/nvme0n1', '/dev/nvme0n1'],
    ['/dev/nvme0n1p1', '/dev/nvme0n1'],
    ['nvme0n1', '/dev/nvme0n1'],
    ['/dev/sdaa9', '/dev/sdaa'],
  ])('%s is %s', (name, path) => {
    expect(findDisk(DISKS, name)?.path).toBe(path);
  });

  it('unknown names stay as they are', () => {
    expect(findDisk(DISKS, '/dev/sdz')).toBeUndefined();
    expect(findDisk(DISKS, '/dev/nvme0n')).toBeUndefined();
    expect(diskKey(DISKS, '/dev/sdz1')).toBe('/dev/sdz1');
  });
});
