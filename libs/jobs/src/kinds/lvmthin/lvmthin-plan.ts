import { PVE_NODE } from '../../formats';
import type { Plan, PlanStep } from '../../job-kind';
import type { DiskFacts, NodeFacts } from '../../node-facts';
import { shellQuote } from '../../shell-quote';
import { SpecError, type FieldError } from '../../spec-error';
import { checkSmart, smartGate, smartNote, type DiskUse } from '../disk-health/smart-gate';
import { findDisk } from '../zfscreate/disk-match';
import { lvsReadBack, storageReadBack } from './lvs-read-back';
import { allocatedBytes, partitionOf, type LvmThinSpec } from './lvmthin-params';

/**
 * The seed's "Creating a Volume Group" and "Create a LVM-thin pool" exactly: `sgdisk -N 1`,
 * `pvcreate --metadatasize 250k -y -ff`, `vgcreate`, `lvcreate -L SIZE -T -n NAME VG`, optionally
 * `pvesm add lvmthin`; read back through `lvs` (and `pvesm status`).
 *
 * Refused before anything runs, from the node's facts (read fresh when the task starts): a disk in
 * use (partitions, a signature, a PV, a pool: `pvcreate -ff -y` would destroy it without asking),
 * a disk whose S.M.A.R.T. health did not pass (unless `ignoreSmart`), a volume group of that name.
 * When the thin pool exists already on that disk, nothing is created: the plan only verifies it
 * and registers the storage if that is missing, so running it again converges (desired state).
 */
export function planLvmThin(spec: LvmThinSpec, facts: NodeFacts | null): Plan {
  if (!facts) throw new SpecError([{ field: 'params.disk', message: 'the node has no facts yet: its disks cannot be checked' }]);
  const host = facts.hostname;
  if (!facts.disks)
    throw new SpecError([{ field: 'params.disk', message: `the disks of ${host} are unknown: its facts have no PVE disk list` }]);
  const disk = findDisk(facts.disks, spec.disk);
  if (!disk?.byId.includes(spec.disk)) throw new SpecError([{ field: 'params.disk', message: `${spec.disk} does not exist on ${host}` }]);
  const node = host.split('.')[0];
  const errors: FieldError[] = [];
  if (spec.storageId !== undefined && !PVE_NODE.test(node))
    errors.push({
      field: 'params.storageId',
      message: `the node's hostname '${host}' is no PVE node name, so the storage cannot be limited to it`,
    });

  const existing = facts.lvm?.thinPools.find((p) => p.vg === spec.vgName && p.name === spec.thinPool);
  const plan = existing ? verifyExisting(spec, facts, disk, existing.sizeBytes, errors) : create(spec, facts, disk, node, errors);
  if (errors.length) throw new SpecError(errors);
  return plan;
}

/** The volume group's physical volumes, by the disk each is on (`/dev/sdb`), as the facts show them. */
function vgDisks(facts: NodeFacts, vg: string): string[] {
  return (facts.lvm?.pvs ?? []).filter((p) => p.vg === vg).map((p) => findDisk(facts.disks ?? [], p.device)?.path ?? p.device);
}

function create(spec: LvmThinSpec, facts: NodeFacts, disk: DiskFacts, node: string, errors: FieldError[]): Plan {
  const host = facts.hostname;
  const where = vgDisks(facts, spec.vgName);
  if (where.length)
    errors.push({ field: 'params.vgName', message: `volume group ${spec.vgName} already exists on ${host} (on ${where.join(', ')})` });
  if (disk.used) errors.push({ field: 'params.disk', message: `${spec.disk} (${disk.path}) is in use (${disk.used})` });
  const use: DiskUse = { field: 'params.disk', device: spec.disk, disk };
  const smart = spec.ignoreSmart ? { errors: [], unknown: [] } : checkSmart([use]);
  errors.push(...smart.errors);
  // The GPT, pe_start and the thin pool's metadata (and its spare) take a little of the disk.
  if (allocatedBytes(spec.size) > disk.sizeBytes * 0.99)
    errors.push({ field: 'params.size', message: `${spec.size} does not fit on ${spec.disk} (${disk.sizeBytes} bytes)` });
  const known = spec.storageId === undefined ? undefined : facts.storages?.find((s) => s.id === spec.storageId);
  if (known)
    errors.push({ field: 'params.storageId', message: `storage ${spec.storageId} already exists on ${host} as a ${known.type} storage` });

  const q = shellQuote;
  const part = partitionOf(spec);
  const steps: PlanStep[] = [
    ...smart.unknown.map(smartGate),
    { command: `sgdisk -N 1 ${q(spec.disk)}`, description: 'create partition 1 over the disk' },
    // udev makes the partition's by-id link after the kernel re-read the table: wait for it.
    { command: 'udevadm settle', description: `wait for udev to link ${part}` },
    { command: `pvcreate --metadatasize 250k -y -ff ${q(part)}`, description: 'make the partition an LVM physical volume' },
    { command: `vgcreate ${q(spec.vgName)} ${q(part)}`, description: `create volume group ${spec.vgName}` },
    {
      command: `lvcreate -L ${q(spec.size)} -T -n ${q(spec.thinPool)} ${q(spec.vgName)}`,
      description: `create thin pool ${spec.thinPool}`,
      capture: 'create',
      timeoutMs: 5 * 60_000,
    },
    ...(spec.storageId !== undefined ? [addStorage(spec, spec.storageId, node)] : []),
    ...readBack(spec),
  ];
  const notes = [
    `${spec.disk} is ${disk.path} on ${host}, unused when its facts were read at ${new Date(facts.collectedAt).toISOString()}: partitioning it`,
    smartNote([use], spec.ignoreSmart),
  ];
  return { notes, steps };
}

function verifyExisting(spec: LvmThinSpec, facts: NodeFacts, disk: DiskFacts, sizeBytes: number, errors: FieldError[]): Plan {
  const host = facts.hostname;
  const pool = `${spec.vgName}/${spec.thinPool}`;
  const where = vgDisks(facts, spec.vgName);
  if (!where.includes(disk.path))
    errors.push({
      field: 'params.disk',
      message: `thin pool ${pool} already exists on ${host} on ${where.join(', ') || 'other disks'}, not on ${spec.disk} (${disk.path})`,
    });
  if (sizeBytes < allocatedBytes(spec.size))
    errors.push({
      field: 'params.size',
      message: `thin pool ${pool} already exists with ${sizeBytes} bytes, less than ${spec.size} (lvmthin does not resize a pool)`,
    });
  const known = spec.storageId === undefined ? undefined : facts.storages?.find((s) => s.id === spec.storageId);
  if (known && known.type !== 'lvmthin')
    errors.push({ field: 'params.storageId', message: `storage ${spec.storageId} already exists on ${host} as a ${known.type} storage` });
  const add = spec.storageId !== undefined && !known ? [addStorage(spec, spec.storageId, host.split('.')[0])] : [];
  return {
    notes: [
      `thin pool ${pool} already exists on ${spec.disk} (${disk.path}): not creating it, only verifying`,
      ...(spec.storageId === undefined ? [] : [known ? `storage ${spec.storageId} exists already` : `adding storage ${spec.storageId}`]),
    ],
    steps: [...add, ...readBack(spec)],
  };
}

/** `pvesm add lvmthin`, as the seed's storage section writes it, limited to this node (local storage). */
function addStorage(spec: LvmThinSpec, id: string, node: string): PlanStep {
  const q = shellQuote;
  return {
    command: `pvesm add lvmthin ${q(id)} --vgname ${q(spec.vgName)} --thinpool ${q(spec.thinPool)} --content images,rootdir --nodes ${q(node)}`,
    description: `add storage ${id} for ${node}`,
  };
}

function readBack(spec: LvmThinSpec): PlanStep[] {
  return [lvsReadBack(spec), ...(spec.storageId !== undefined ? [storageReadBack(spec.storageId)] : [])];
}
