import type { PlanStep } from '../../job-kind';
import { configuredArcMax } from '../facts/parse/zfs-arc';
import { arcSize } from './zfsarc-spec';
import { ARC_MAX_PARAM, ZFS_CONF } from './zfs-conf';

/** The module parameter must show the limit now. */
export function liveArcReadBack(value: number): PlanStep {
  return {
    command: `cat ${ARC_MAX_PARAM}`,
    description: 'read zfs_arc_max back',
    capture: 'live',
    verify: (out) => {
      const now = out.stdout.trim();
      return now === String(value) ? undefined : `zfs_arc_max is ${now || 'unreadable'}, expected ${arcSize(value)}`;
    },
  };
}

/** zfs.conf must set it, so the next boot keeps it. */
export function confArcReadBack(value: number): PlanStep {
  return {
    command: `cat ${ZFS_CONF}`,
    description: `read ${ZFS_CONF} back`,
    capture: 'conf',
    okExitCodes: [0, 1],
    verify: (out) => {
      if (out.exitCode !== 0) return `${ZFS_CONF} is missing`;
      const set = configuredArcMax(out.stdout);
      return set === value
        ? undefined
        : `${ZFS_CONF} sets zfs_arc_max to ${set === null ? 'nothing' : arcSize(set)}, expected ${arcSize(value)}`;
    },
  };
}
