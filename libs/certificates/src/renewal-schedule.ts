import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@pvefleet/config';
import { errorMessage } from '@pvefleet/errors';
import { SchedulesService, type ScheduleDocument } from '@pvefleet/schedules/state';

/** The built-in schedule's key (`schedule.builtin`) and first name. */
export const RENEWAL_SCHEDULE = 'certificate-renewal';

/**
 * Fleet certificate renewal as first created: every day at 03:30 UTC (UTC has no DST change to skip
 * or repeat a run), each node's acmerenew spread over two hours in the schedule's fixed per-node
 * order, renewing certificates that expire within 30 days (as Proxmox's pve-daily-update would),
 * each task checking afterwards that pveproxy serves the new one. Every node is selected; those
 * without ACME configured (or not Proxmox VE) get a task that says so and runs nothing. A run missed while pvefleet was
 * down runs once when it is back; a run still going when the next is due makes that one skip.
 */
export const renewalScheduleDocument = (): ScheduleDocument => ({
  name: RENEWAL_SCHEDULE,
  cron: '30 3 * * *',
  timezone: 'UTC',
  selector: { all: true },
  action: { kind: 'job', type: 'acmerenew', params: { renewWithinDays: 30, skipUnconfigured: true } },
  spread: 120,
  missedRun: 'run-once',
  overlap: 'skip',
  enabled: true,
});

/**
 * Creates the built-in renewal schedule at the API's start when it is absent (enabled, or paused as
 * PVEFLEET_CERTIFICATE_RENEWAL says). Once created it is the users' (editable, pausable, not
 * deletable): later starts leave it as they made it.
 */
@Injectable()
export class RenewalScheduleSetup implements OnApplicationBootstrap {
  private readonly logger = new Logger('Certificates');

  constructor(
    @Inject(SchedulesService) private readonly schedules: SchedulesService,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'certificates'>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      const enabled = this.config.certificates.renewalSchedule === 'enabled';
      await this.schedules.ensureBuiltin(RENEWAL_SCHEDULE, { ...renewalScheduleDocument(), enabled });
    } catch (err) {
      // The API serves all the same; the next start creates it.
      this.logger.error(`the built-in schedule '${RENEWAL_SCHEDULE}' could not be created: ${errorMessage(err)}`);
    }
  }
}
