import type { z } from 'zod';
import { acmeNewCertJob } from './kinds/acme/acmenewcert.job';
import { acmeRenewJob } from './kinds/acme/acmerenew.job';
import { aptHoldJob } from './kinds/apthold/apthold.job';
import { aptReposJob } from './kinds/aptrepos/aptrepos.job';
import { aptUpdateJob } from './kinds/aptupdate/aptupdate.job';
import { aptUpgradeJob } from './kinds/aptupgrade/aptupgrade.job';
import { cephFlagJob } from './kinds/cephflag/cephflag.job';
import { clusterCheckJob } from './kinds/clustercheck/clustercheck.job';
import { execJob } from './kinds/exec/exec.job';
import { factsJob } from './kinds/facts/facts.job';
import { haMaintenanceJob } from './kinds/hamaintenance/hamaintenance.job';
import { lvmThinJob } from './kinds/lvmthin/lvmthin.job';
import { metricServerJob } from './kinds/metricserver/metricserver.job';
import { migrateAllJob } from './kinds/migrateall/migrateall.job';
import { netconfigJob } from './kinds/netconfig/netconfig.job';
import { nodeHealthJob } from './kinds/nodehealth/nodehealth.job';
import { ntpJob } from './kinds/ntp/ntp.job';
import { evacuateJob } from './kinds/placement/evacuate.job';
import { returnGuestsJob } from './kinds/placement/return-guests.job';
import { pve8to9Job } from './kinds/pve8to9/pve8to9.job';
import { swappinessJob } from './kinds/swappiness/swappiness.job';
import { zfsArcJob } from './kinds/zfsarc/zfsarc.job';
import { zfsCreateJob } from './kinds/zfscreate/zfscreate.job';
import type { TaskType } from './task-type';

/** Every job kind pvefleet can run, one per task type (the registry checks it at start). */
export const JOB_KINDS = [
  factsJob,
  aptUpdateJob,
  aptUpgradeJob,
  aptReposJob,
  ntpJob,
  acmeRenewJob,
  acmeNewCertJob,
  zfsCreateJob,
  lvmThinJob,
  execJob,
  // Host settings a desired-state field converges.
  swappinessJob,
  zfsArcJob,
  aptHoldJob,
  metricServerJob,
  // The host network by a confirmed apply (desired-state field `network`).
  netconfigJob,
  // The steps of a rolling upgrade, each a task of its own.
  clusterCheckJob,
  haMaintenanceJob,
  migrateAllJob,
  evacuateJob,
  returnGuestsJob,
  cephFlagJob,
  nodeHealthJob,
  pve8to9Job,
] as const;

type CatalogKind = (typeof JOB_KINDS)[number];

/** The kind that runs tasks of type `T`, with its exact spec type. */
export type KindOf<T extends TaskType> = Extract<CatalogKind, { readonly type: T }>;

/** What a caller sends as a task's params (defaults may be left out), e.g. `TaskParams<'aptupgrade'>`. */
export type TaskParams<T extends TaskType> = z.input<KindOf<T>['spec']>;

/** A task's params once its kind's spec parsed them (defaults filled in). */
export type TaskSpec<T extends TaskType> = z.output<KindOf<T>['spec']>;

// Compile-time half of the registry's check: a task type without a kind in the catalog fails here first.
type Unregistered = Exclude<TaskType, CatalogKind['type']>;
export const EVERY_TASK_TYPE_HAS_A_KIND: [Unregistered] extends [never] ? true : Unregistered = true;
