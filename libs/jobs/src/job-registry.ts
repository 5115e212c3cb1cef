import type { JobKind } from './job-kind';
import { acmeNewCertJob } from './kinds/acme/acmenewcert.job';
import { acmeRenewJob } from './kinds/acme/acmerenew.job';
import { aptReposJob } from './kinds/aptrepos/aptrepos.job';
import { aptUpdateJob } from './kinds/aptupdate/aptupdate.job';
import { aptUpgradeJob } from './kinds/aptupgrade/aptupgrade.job';
import { cephFlagJob } from './kinds/cephflag/cephflag.job';
import { clusterCheckJob } from './kinds/clustercheck/clustercheck.job';
import { execJob } from './kinds/exec/exec.job';
import { factsJob } from './kinds/facts/facts.job';
import { haMaintenanceJob } from './kinds/hamaintenance/hamaintenance.job';
import { migrateAllJob } from './kinds/migrateall/migrateall.job';
import { evacuateJob } from './kinds/placement/evacuate.job';
import { returnGuestsJob } from './kinds/placement/return-guests.job';
import { nodeHealthJob } from './kinds/nodehealth/nodehealth.job';
import { ntpJob } from './kinds/ntp/ntp.job';
import { pve8to9Job } from './kinds/pve8to9/pve8to9.job';
import { zfsCreateJob } from './kinds/zfscreate/zfscreate.job';

/** Every job kind pvefleet can run. A type listed twice stops the process at start. */
export const JOB_KINDS: readonly JobKind<any>[] = [
  factsJob,
  aptUpdateJob,
  aptUpgradeJob,
  aptReposJob,
  ntpJob,
  acmeRenewJob,
  acmeNewCertJob,
  zfsCreateJob,
  execJob,
  // The steps of a rolling upgrade, each a task of its own.
  clusterCheckJob,
  haMaintenanceJob,
  migrateAllJob,
  evacuateJob,
  returnGuestsJob,
  cephFlagJob,
  nodeHealthJob,
  pve8to9Job,
];

export class JobRegistry {
  private readonly byType = new Map<string, JobKind<any>>();

  constructor(kinds: readonly JobKind<any>[] = JOB_KINDS) {
    for (const kind of kinds) {
      if (this.byType.has(kind.type)) throw new Error(`job kind '${kind.type}' is registered twice`);
      this.byType.set(kind.type, kind);
    }
  }

  get(type: string): JobKind<any> | undefined {
    return this.byType.get(type);
  }

  get types(): string[] {
    return [...this.byType.keys()];
  }

  list(): JobKind<any>[] {
    return [...this.byType.values()];
  }
}
