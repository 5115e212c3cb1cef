import { describe, expect, it } from 'vitest';
import { enabledOn, findStorageSection, storageConflict, storageNodes } from './storage-cfg';

const CFG =
  'dir: local\n\tpath /var/lib/vz\n\tcontent iso,vztmpl,backup\n\nlvmthin: local-lvm\n\tthinpool data\n\tvgname pve\n\tcontent rootdir,images\n\nzfspool: tank\n\tpool tank\n\tcontent images,rootdir\n\tnodes pve1,pve2\n\tsparse\n';

describe('storage.cfg', () => {
  it('finds a section with its properties (a bare key is a flag)', () => {
    expect(findStorageSection(CFG, 'tank')).toEqual({
      type: 'zfspool',
      id: 'tank',
      props: { pool: 'tank', content: 'images,rootdir', nodes: 'pve1,pve2', sparse: '1' },
    });
    expect(findStorageSection(CFG, 'local')?.props).toEqual({ path: '/var/lib/vz', content: 'iso,vztmpl,backup' });
    expect(findStorageSection(CFG, 'nope')).toBeUndefined();
    expect(findStorageSection('', 'tank')).toBeUndefined();
  });

  it('an existing entry serves only as a zfspool of this pool, whichever nodes it lists', () => {
    const tank = findStorageSection(CFG, 'tank')!;
    expect(storageConflict(tank, 'tank')).toBeUndefined();
    expect(storageConflict(tank, 'other')).toBe('storage tank already exists for ZFS pool tank, not other');
    expect(storageConflict(findStorageSection(CFG, 'local')!, 'local')).toBe('storage local already exists as a dir storage');
  });

  it('nodes: a list, or unset for every node of the cluster', () => {
    const tank = findStorageSection(CFG, 'tank')!;
    expect(storageNodes(tank)).toEqual(['pve1', 'pve2']);
    expect(enabledOn(tank, 'pve2')).toBe(true);
    expect(enabledOn(tank, 'pve3')).toBe(false);
    const everywhere = { type: 'zfspool', id: 'tank', props: { pool: 'tank' } };
    expect(storageNodes(everywhere)).toBeUndefined();
    expect(enabledOn(everywhere, 'pve9')).toBe(true);
  });
});
