import type { JobKind } from '../../job-kind';
import { lvsReadBack, parseLvs, storageReadBack } from './lvs-read-back';
import { lvmThinParams, type LvmThinSpec } from './lvmthin-params';
import { planLvmThin } from './lvmthin-plan';

/**
 * Creates an LVM-thin pool on one unused disk, the seed's way (desired state's `lvmthin` field).
 * Not registered yet: `lvmthin` joins TASK_TYPES when the registry takes it (then this becomes a
 * `JobKindOf<'lvmthin', typeof lvmThinParams>`). The task id field is the thin pool, as PVE's
 * `lvmthincreate` uses the name.
 */
export const lvmThinJob: Omit<JobKind<LvmThinSpec>, 'type'> & { readonly type: 'lvmthin' } = {
  type: 'lvmthin',
  mutating: true,
  readBack: { by: 'plan', describe: 'lvs reads the thin pool back (a thin pool of at least the size asked), pvesm status the storage' },
  usesFacts: true,
  description: 'Create an LVM-thin pool on an unused disk (sgdisk, pvcreate, vgcreate, lvcreate -T), optionally as a PVE storage',
  spec: lvmThinParams,
  objectId: (spec) => spec.thinPool,
  plan: planLvmThin,
  verifyAfterLoss: (spec) => [lvsReadBack(spec), ...(spec.storageId !== undefined ? [storageReadBack(spec.storageId)] : [])],
  finish: (spec, outputs) => {
    const captured: Partial<typeof outputs> = outputs;
    const lv = parseLvs(captured.lvs?.stdout ?? '').find((l) => l.name === spec.thinPool && l.vg === spec.vgName);
    return {
      result: {
        vg: spec.vgName,
        thinPool: spec.thinPool,
        disk: spec.disk,
        sizeBytes: lv?.size ?? null,
        storage: spec.storageId ?? null,
        smart: spec.ignoreSmart ? 'ignored' : captured.smart ? 'passed' : null,
      },
    };
  },
};
