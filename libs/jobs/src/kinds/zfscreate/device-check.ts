import type { DiskFacts, NodeFacts } from '../../node-facts';
import type { FieldError } from '../../spec-error';
import type { DiskUse } from '../disk-health/smart-gate';
import { findDisk } from './disk-match';
import type { ZfsCreateSpec } from './zfscreate-params';

/**
 * Uses `zpool create -f` cannot (or must not) override: LVM, mounts, boot partitions, partition
 * tables and device-mapper holders. A plain filesystem signature or an old ZFS label can be forced.
 */
const NEVER_FORCED = new Set(['LVM', 'mounted', 'BIOS boot', 'EFI', 'ZFS reserved', 'partitions', 'Device Mapper']);

const LISTS = ['devices', 'cache', 'log'] as const;

/**
 * Checks every device of the spec against the node's disks (`pvesh … disks/list`, as PVE's own
 * API does): it must exist, name a disk no other entry names, and, when `requireUnused` holds
 * (the pool exists already and owns them), be unused. Returns one error per offending field.
 */
export function checkDevices(spec: ZfsCreateSpec, facts: NodeFacts, opts: { requireUnused: boolean }): FieldError[] {
  const host = facts.hostname;
  if (!facts.disks) return [{ field: 'params.devices', message: `the disks of ${host} are unknown: its facts have no PVE disk list` }];
  const disks = facts.disks;
  const errors: FieldError[] = [];
  const claimed = new Map<string, string>();
  for (const list of LISTS) {
    spec[list].forEach((dev, i) => {
      const field = `params.${list}.${i}`;
      const disk = findDisk(disks, dev);
      if (!disk) return errors.push({ field, message: `${dev} does not exist on ${host}` });
      const first = claimed.get(disk.path);
      if (first) return errors.push({ field, message: `${dev} is ${disk.path}, already listed as ${first}` });
      claimed.set(disk.path, field);
      if (opts.requireUnused && disk.used && !(spec.force && forceable(disk, facts)))
        errors.push({ field, message: `${dev} is in use (${disk.used})` });
    });
  }
  return errors;
}

/** Devices `force` lets through, for the log: `/dev/sdb (ext4)`. */
export function forcedDevices(spec: ZfsCreateSpec, facts: NodeFacts): string[] {
  if (!spec.force || !facts.disks) return [];
  const disks = facts.disks;
  return LISTS.flatMap((list) => spec[list])
    .map((dev) => findDisk(disks, dev))
    .filter((d): d is DiskFacts => !!d?.used && forceable(d, facts))
    .map((d) => `${d.path} (${d.used})`);
}

function forceable(disk: DiskFacts, facts: NodeFacts): boolean {
  if (!disk.used || NEVER_FORCED.has(disk.used)) return false;
  // A disk of a pool imported here is busy: zpool refuses it even with -f.
  const inPool = (facts.pools ?? []).some((p) =>
    [...p.vdevs.flatMap((v) => v.devices), ...p.cache, ...p.log].some((name) => findDisk(facts.disks ?? [], name)?.path === disk.path),
  );
  return !inPool;
}

/** Every device of the spec the node's disks know, by its field: what the S.M.A.R.T. gate checks. */
export function diskUses(spec: ZfsCreateSpec, facts: NodeFacts): DiskUse[] {
  const disks = facts.disks ?? [];
  return LISTS.flatMap((list) =>
    spec[list].flatMap((device, i) => {
      const disk = findDisk(disks, device);
      return disk ? [{ field: `params.${list}.${i}`, device, disk }] : [];
    }),
  );
}
