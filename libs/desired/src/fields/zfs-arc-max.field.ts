import { arcSize, zfsArcSpec, type NodeFacts } from '@pvefleet/jobs';
import type { DesiredField } from '../desired-field';

export interface ZfsArcMaxObserved {
  /** /sys/module/zfs/parameters/zfs_arc_max now (0: ZFS's default). */
  live: number;
  /** What /etc/modprobe.d/zfs.conf sets for the next boot, null when it sets nothing (ZFS's default). */
  configured: number | null;
}

/**
 * The ZFS ARC limit in bytes (the seed's "Limit ZFS Memory Usage"), 0 for ZFS's default: compliant when
 * the module uses it now and zfs.conf sets it for the next boot. Unknown on a node without the zfs
 * module. Fixed by the `zfsarc` kind.
 */
export const zfsArcMaxField: DesiredField<number, ZfsArcMaxObserved> = {
  key: 'zfsArcMax',
  description: 'the ZFS ARC limit (zfs_arc_max), now and in /etc/modprobe.d/zfs.conf',
  scope: 'node',
  defaultMode: 'enforce',
  schema: zfsArcSpec.shape.zfsArcMax,
  observe(facts: Partial<NodeFacts>) {
    const arc = facts.zfsArc ?? null;
    return arc === null ? null : { live: arc.live, configured: arc.configured };
  },
  differs(desired, observed) {
    const why: string[] = [];
    if (observed.live !== desired) why.push(`zfs_arc_max is ${arcSize(observed.live)}, desired ${arcSize(desired)}`);
    // No setting in zfs.conf is ZFS's default, the same as 0.
    if ((observed.configured ?? 0) !== desired) {
      why.push(
        observed.configured === null
          ? "/etc/modprobe.d/zfs.conf sets no zfs_arc_max: a boot brings back ZFS's default"
          : `/etc/modprobe.d/zfs.conf sets zfs_arc_max=${observed.configured}`,
      );
    }
    return why.length ? why.join('; ') : undefined;
  },
  fix(desired, facts) {
    const observed = zfsArcMaxField.observe?.(facts) ?? null;
    if (observed && zfsArcMaxField.differs?.(desired, observed, facts.collectedAt) === undefined) return [];
    return [{ type: 'zfsarc', params: { zfsArcMax: desired } }];
  },
};
