import type { JobKindOf, Plan, PlanStep } from '../../job-kind';
import type { NodeFacts, ZfsArcFacts } from '../../node-facts';
import { SpecError } from '../../spec-error';
import { predatingFactsPlan } from '../facts/predating-facts';
import { writeFileStep } from '../ntp/write-file';
import { confArcReadBack, liveArcReadBack } from './zfsarc-read-back';
import { arcSize, zfsArcSpec, type ZfsArcSpec } from './zfsarc-spec';
import { ARC_MAX_PARAM, withArcMax, ZFS_CONF } from './zfs-conf';

function arcOf(facts: NodeFacts | null): ZfsArcFacts {
  const arc = facts?.zfsArc;
  if (!arc) throw new SpecError([{ field: 'params', message: `the zfs module is not loaded on the node (${ARC_MAX_PARAM} is absent)` }]);
  return arc;
}

/** `findmnt` names the root file system's type; `zfs` means the initramfs loads the module and reads zfs.conf. */
const ROOT_FS = 'findmnt -n -o FSTYPE /';

/**
 * The seed's "Limit ZFS Memory Usage": `options zfs zfs_arc_max=N` in zfs.conf (its other lines kept),
 * the limit applied now through the module parameter, and, when the root file system is ZFS,
 * `update-initramfs -u` so the next boot reads the new value. Read back from both places.
 */
export function planZfsArc(spec: ZfsArcSpec, facts: NodeFacts | null): Plan {
  if (facts !== null && facts.zfsArc === undefined) return predatingFactsPlan('the ZFS ARC limit');
  const value = spec.zfsArcMax;
  const arc = arcOf(facts);
  const conf = withArcMax(arc.conf, value);
  const notes: string[] = [];
  const steps: PlanStep[] = [];
  if (conf === arc.conf) notes.push(`${ZFS_CONF} already sets zfs_arc_max=${value}`);
  else {
    notes.push(`${ZFS_CONF}: zfs_arc_max=${value} (${arc.configured === null ? 'not set before' : `was ${arc.configured}`})`);
    steps.push(
      writeFileStep(ZFS_CONF, conf, `set zfs_arc_max=${value} in ${ZFS_CONF}`),
      { command: ROOT_FS, description: 'is the root file system ZFS?', capture: 'rootfs' },
      {
        command: 'update-initramfs -u',
        description: 'update the initramfs (root on ZFS: it loads the module with zfs.conf)',
        when: { describe: 'the root file system is ZFS', holds: (o) => o.rootfs?.stdout.trim() === 'zfs' },
        timeoutMs: 10 * 60_000,
      },
    );
  }
  if (arc.live === value) notes.push(`zfs_arc_max is already ${arcSize(value)}: reading it back only`);
  else {
    notes.push(`zfs_arc_max is ${arcSize(arc.live)} now: applying ${arcSize(value)}`);
    if (value === 0) notes.push("0 restores ZFS's default limit; a lower limit in force stays until the next boot");
    steps.push({ command: `echo ${value} > ${ARC_MAX_PARAM}`, description: 'apply the limit now' });
  }
  steps.push(liveArcReadBack(value), confArcReadBack(value));
  return { notes, steps };
}

export const zfsArcJob: JobKindOf<'zfsarc', typeof zfsArcSpec> = {
  type: 'zfsarc',
  mutating: true,
  readBack: { by: 'plan', describe: `${ARC_MAX_PARAM} and ${ZFS_CONF} are read back` },
  usesFacts: true,
  description: 'Limit the ZFS ARC (options zfs zfs_arc_max=N in /etc/modprobe.d/zfs.conf, applied now)',
  spec: zfsArcSpec,
  plan: planZfsArc,
  verifyAfterLoss: (spec) => [liveArcReadBack(spec.zfsArcMax), confArcReadBack(spec.zfsArcMax)],
  finish: (spec, outputs, ctx) => ({
    result: {
      zfsArcMax: spec.zfsArcMax,
      before: ctx.facts?.zfsArc?.live ?? null,
      initramfsUpdated: outputs.rootfs?.stdout.trim() === 'zfs',
    },
  }),
};
