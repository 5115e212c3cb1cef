import { describe, expect, it } from 'vitest';
import { findStorageSection, storageConflict } from './storage-cfg';

const CFG = 'dir: local\n\tpath /var/lib/vz\n\tcontent iso,vztmpl,backup\n\nlvmthin: local-lvm\n\tthinpool data\n\tvgname pve\n\tcontent rootdir,images\n\nzfspool: tank\n\tpool tank\n\tcontent images,rootdir\n\tnodes pve1,pve2\n\tsparse\n';

describe('storage.cfg', () => {
  it('finds a section with its properties (a bare key is a flag)', () => {
    expect(findStorageSection(CFG, 'tank')).toEqual({ type: 'zfspool', id: 'tank', props: { pool: 'tank', content: 'images,rootdir', nodes: 'pve1,pve2', sparse: '1' } });
    expect(findStorageSection(CFG, 'local')?.props).toEqual({ path: '/var/lib/vz', content: 'iso,vztmpl,backup' });
    expect(findStorageSection(CFG, 'nope')).toBeUndefined();
    expect(findStorageSection('', 'tank')).toBeUndefined();
  });

  it('an existing entry serves only as a zfspool of this pool, enabled on this node', () => {
    const tank = findStorageSection(CFG, 'tank')!;
    expect(storageConflict(tank, 'tank', 'pve2')).toBeUndefined();
    expect(storageConflict(tank, 'tank', 'pve3')).toBe('storage tank already exists but is restricted to nodes pve1,pve2');
    expect(storageConflict(tank, 'other', 'pve1')).toBe('storage tank already exists for ZFS pool tank, not other');
    expect(storageConflict(findStorageSection(CFG, 'local')!, 'local', 'pve1')).toBe('storage local already exists as a dir storage');
    expect(storageConflict({ type: 'zfspool', id: 'tank', props: { pool: 'tank' } }, 'tank', 'pve9')).toBeUndefined();
  });
});
