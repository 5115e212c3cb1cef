import type { StorageFacts } from '../../../node-facts';

/**
 * `pvesm status`: a header line (`Name Type Status Total …`, or `Total (KiB) …` since
 * libpve-storage-perl 9.0.14), then one row per storage. Storage ids and types have no spaces,
 * so the first three fields are id, type and status. Null when empty (no PVE).
 */
export function parseStorages(text: string): StorageFacts[] | null {
  if (text.trim() === '') return null;
  const storages: StorageFacts[] = [];
  for (const line of text.split('\n')) {
    const [id, type, status] = line.trim().split(/\s+/);
    if (!id || !type || !status || (id === 'Name' && type === 'Type')) continue;
    storages.push({ id, type, status });
  }
  return storages;
}
