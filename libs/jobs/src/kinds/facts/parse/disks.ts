import type { DiskFacts } from '../../../node-facts';
import { finiteNumber, isRecord, parseJson, stringOrNull } from './json';

/**
 * `pvesh get /nodes/localhost/disks/list --output-format json` (pve-storage Diskmanage.pm
 * get_disks). Null when empty or not a JSON array. PVE writes `unknown` for a missing serial;
 * that becomes null so two disks without one never look like the same disk.
 */
export function parseDisks(text: string): DiskFacts[] | null {
  const list = parseJson(text);
  if (!Array.isArray(list)) return null;
  return list.flatMap((entry): DiskFacts[] => {
    if (!isRecord(entry) || typeof entry.devpath !== 'string') return [];
    const byId = stringOrNull(entry.by_id_link);
    const serial = stringOrNull(entry.serial);
    return [
      {
        path: entry.devpath,
        byId: byId ? [byId] : [],
        sizeBytes: finiteNumber(entry.size) ?? 0,
        model: stringOrNull(entry.model),
        serial: serial === 'unknown' ? null : serial,
        // Only a disk PVE considers in use carries `used`; a free disk has no such key.
        used: stringOrNull(entry.used),
      },
    ];
  });
}
