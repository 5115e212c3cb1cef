import type { JobKindOf } from '../../job-kind';
import { findDisk } from '../zfscreate/disk-match';
import { lvsReadBack, parseLvs, storageReadBack } from './lvs-read-back';
import { lvmThinParams } from './lvmthin-params';
import { planLvmThin } from './lvmthin-plan';

/**
 * Creates an LVM-thin pool on one unused disk, the seed's way, optionally as a PVE storage (desired
 * state's `lvmthinPools`). The task id field is the thin pool, as PVE's `lvmthincreate` uses the name.
 */
export const lvmThinJob: JobKindOf<'lvmthin', typeof lvmThinParams> = {
  type: 'lvmthin',
  mutating: true,
  readBack: { by: 'plan', describe: 'lvs reads the thin pool back (a thin pool of at least the size asked), pvesm status the storage' },
  usesFacts: true,
  description: 'Create an LVM-thin pool on an unused disk (sgdisk, pvcreate, vgcreate, lvcreate -T), optionally as a PVE storage',
  spec: lvmThinParams,
  objectId: (spec) => spec.thinPool,
  plan: planLvmThin,
  verifyAfterLoss: (spec) => [lvsReadBack(spec), ...(spec.storageId !== undefined ? [storageReadBack(spec.storageId)] : [])],
  finish: (spec, outputs, { facts }) => {
    const lv = parseLvs(outputs.lvs?.stdout ?? '').find((l) => l.name === spec.thinPool && l.vg === spec.vgName);
    const disk = findDisk(facts?.disks ?? [], spec.disk);
    return {
      result: {
        vg: spec.vgName,
        thinPool: spec.thinPool,
        disk: spec.disk,
        created: outputs.create?.exitCode === 0,
        sizeBytes: lv?.size ?? null,
        storage: spec.storageId ?? null,
        smart: spec.ignoreSmart ? 'ignored' : (disk?.smart?.health ?? null),
      },
    };
  },
};
