import { PVE_NODE } from '../../formats';
import type { Plan, PlanStep } from '../../job-kind';
import type { NodeFacts } from '../../node-facts';
import { shellQuote } from '../../shell-quote';
import { SpecError } from '../../spec-error';
import { findDisk } from '../zfscreate/disk-match';
import { lvsReadBack, storageReadBack } from './lvs-read-back';
import { allocatedBytes, partitionOf, type LvmThinSpec } from './lvmthin-params';
import { smartGate } from './smart-health';

/**
 * The seed's "Create a LVM-thin pool" exactly: `sgdisk -N 1`, `pvcreate --metadatasize 250k -y -ff`,
 * `vgcreate`, `lvcreate -L SIZE -T -n NAME VG`, optionally `pvesm add lvmthin`, after the disk's
 * S.M.A.R.T. gate; read back through `lvs`. Refused, before anything runs, on a disk the node's
 * facts show in use: partitions, a filesystem signature, a PV, a pool (`pvcreate -ff -y` would
 * destroy it without asking).
 */
export function planLvmThin(spec: LvmThinSpec, facts: NodeFacts | null): Plan {
  if (!facts) throw new SpecError([{ field: 'params.disk', message: 'the node has no facts yet: its disks cannot be checked' }]);
  const host = facts.hostname;
  if (!facts.disks)
    throw new SpecError([{ field: 'params.disk', message: `the disks of ${host} are unknown: its facts have no PVE disk list` }]);
  const disk = findDisk(facts.disks, spec.disk);
  if (!disk || !disk.byId.includes(spec.disk))
    throw new SpecError([{ field: 'params.disk', message: `${spec.disk} does not exist on ${host}` }]);
  if (disk.used) throw new SpecError([{ field: 'params.disk', message: `${spec.disk} (${disk.path}) is in use (${disk.used})` }]);
  // The GPT, pe_start and the thin pool's metadata (and its spare) take a little of the disk.
  if (allocatedBytes(spec.size) > disk.sizeBytes * 0.99)
    throw new SpecError([{ field: 'params.size', message: `${spec.size} does not fit on ${spec.disk} (${disk.sizeBytes} bytes)` }]);
  const node = host.split('.')[0];
  if (spec.storageId !== undefined) {
    const known = facts.storages?.find((s) => s.id === spec.storageId);
    if (known)
      throw new SpecError([
        { field: 'params.storageId', message: `storage ${spec.storageId} already exists on ${host} as a ${known.type} storage` },
      ]);
    if (!PVE_NODE.test(node))
      throw new SpecError([
        { field: 'params.storageId', message: `the node's hostname '${host}' is no PVE node name, so the storage cannot be limited to it` },
      ]);
  }

  const q = shellQuote;
  const part = partitionOf(spec);
  const steps: PlanStep[] = [
    ...(spec.ignoreSmart ? [] : [smartGate(spec.disk)]),
    { command: `sgdisk -N 1 ${q(spec.disk)}`, description: 'create partition 1 over the disk' },
    { command: `pvcreate --metadatasize 250k -y -ff ${q(part)}`, description: 'make the partition an LVM physical volume' },
    { command: `vgcreate ${q(spec.vgName)} ${q(part)}`, description: `create volume group ${spec.vgName}` },
    {
      command: `lvcreate -L ${q(spec.size)} -T -n ${q(spec.thinPool)} ${q(spec.vgName)}`,
      description: `create thin pool ${spec.thinPool}`,
      timeoutMs: 5 * 60_000,
    },
    ...(spec.storageId !== undefined
      ? [
          {
            command: `pvesm add lvmthin ${q(spec.storageId)} --vgname ${q(spec.vgName)} --thinpool ${q(spec.thinPool)} --content images,rootdir --nodes ${q(node)}`,
            description: `add storage ${spec.storageId} for ${node}`,
          },
        ]
      : []),
    lvsReadBack(spec),
    ...(spec.storageId !== undefined ? [storageReadBack(spec.storageId)] : []),
  ];
  const notes = [
    `${spec.disk} is ${disk.path} on ${host}, unused when its facts were read at ${new Date(facts.collectedAt).toISOString()}: partitioning it`,
    spec.ignoreSmart ? `ignoreSmart: ${spec.disk} is used whatever its S.M.A.R.T. health` : `${spec.disk} must pass smartctl -H first`,
  ];
  return { notes, steps };
}
