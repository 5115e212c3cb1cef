import type { NodeProgram } from '../model/node';
import { aptPrograms } from './apt';
import { bootPrograms } from './boot';
import { cephPrograms } from './ceph';
import { opensslPrograms } from './openssl-s-client';
import { clusterPrograms } from './cluster';
import { flockPrograms } from './flock';
import { guestPrograms } from './guests';
import { identityPrograms } from './identity';
import { lsblkPrograms } from './lsblk';
import { lvmPrograms } from './lvm';
import { lvmReportPrograms } from './lvm-report';
import { sgdiskPrograms } from './sgdisk';
import { smartctlPrograms } from './smartctl';
import { networkPrograms } from './network';
import { sysctlPrograms } from './sysctl';
import { aptMarkPrograms } from './apt-mark';
import { rootFsPrograms } from './rootfs';
import { pve8to9Programs } from './pve8to9';
import { processPrograms } from './process';
import { pveshPrograms } from './pvesh';
import { pvesmPrograms } from './pvesm';
import { pvenodePrograms } from './pvenode';
import { systemctlPrograms } from './systemctl';
import { timePrograms } from './time';
import { zfsPrograms } from './zfs';

/** Every node-aware program, by name (coreutils are looked up after these). */
export const pvePrograms: ReadonlyMap<string, NodeProgram> = new Map(
  Object.entries({
    ...identityPrograms,
    ...aptPrograms,
    ...bootPrograms,
    ...systemctlPrograms,
    ...timePrograms,
    ...opensslPrograms,
    ...pvenodePrograms,
    ...lsblkPrograms,
    ...zfsPrograms,
    ...sgdiskPrograms,
    ...lvmPrograms,
    ...lvmReportPrograms,
    ...smartctlPrograms,
    ...networkPrograms,
    ...sysctlPrograms,
    ...aptMarkPrograms,
    ...rootFsPrograms,
    ...pvesmPrograms,
    ...clusterPrograms,
    ...guestPrograms,
    ...cephPrograms,
    ...pve8to9Programs,
    ...pveshPrograms,
    ...processPrograms,
    ...flockPrograms,
  }),
);
