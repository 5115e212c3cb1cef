import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '@pvefleet/config';
import { Db } from '@pvefleet/db';
import { errorMessage } from '@pvefleet/errors';
import { CronSchedule, decideFires } from '@pvefleet/schedules';
import { sql } from 'kysely';
import { ScheduleActionRunner } from './schedule-action-runner';
import type { StoredSchedule } from './schedule-documents';
import { ScheduleRepository, toStored } from './schedule.repository';
import { ScheduleRunRepository } from './schedule-run.repository';

/** At most this many past fire times are looked at in one go (the latest ones: older ones were missed anyway). */
const MAX_DUE = 20;

/** The reason a reconcile or rollout run shows until its service has made the work. */
const NOT_STARTED = 'not started: the worker firing it stopped before its reconcile or rollout was created';

/** A run whose work starts after its row commits (reconcile, rollout). */
interface Pending {
  runId: number;
  schedule: StoredSchedule;
}

/**
 * Fires schedules: the one place where a fire time becomes a run. Both the BullMQ wake-up and every
 * worker's sweep call it; a schedule is fired under its row's lock (others skip it meanwhile), and
 * each fire time is claimed by inserting its `schedule_run` row with ON CONFLICT DO NOTHING, so a fire
 * time is run exactly once whatever the number of workers, wake-ups or Redis flushes.
 */
@Injectable()
export class ScheduleFirer {
  private readonly logger = new Logger('Schedules');

  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(ScheduleRepository) private readonly schedules: ScheduleRepository,
    @Inject(ScheduleRunRepository) private readonly runs: ScheduleRunRepository,
    @Inject(ScheduleActionRunner) private readonly actions: ScheduleActionRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Every enabled schedule with a fire time due; the number of runs started. */
  async fireDue(): Promise<number> {
    const now = this.clock.now();
    let started = 0;
    for (const s of await this.schedules.enabled()) {
      if (!isDue(s, now)) continue;
      started += await this.fire(s.id).catch((err: unknown) => {
        this.logger.warn(`schedule ${s.id} ('${s.name}') not fired: ${errorMessage(err)}; tried again at the next sweep`);
        return 0;
      });
    }
    return started;
  }

  /**
   * Records every fire time of the schedule due since it last fired (run, skipped as missed, or
   * skipped for overlap) and starts what runs. Returns how many runs started.
   */
  async fire(scheduleId: number): Promise<number> {
    const now = this.clock.now();
    const pending: Pending[] = [];
    let started = 0;
    await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('schedule')
        .selectAll()
        .where('id', '=', scheduleId)
        .where('enabled', '=', true)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      // Deleted, paused, or being fired by another worker right now.
      if (!row) return;
      const s = toStored(row);
      const due = dueTimes(s, now);
      if (!due.length) return;
      for (const { fireAt, decision } of decideFires(due, now, s.missedRun)) {
        if (decision === 'missed') {
          await this.runs.claim(trx, s.id, fireAt, 'skipped', 'missed: pvefleet was not running at this time');
          continue;
        }
        if (s.overlap === 'skip' && (await this.runs.previousRunBusy(trx, s.id))) {
          await this.runs.claim(trx, s.id, fireAt, 'skipped', 'overlap: the previous run still has work queued or running');
          continue;
        }
        if (s.action.kind !== 'job') {
          // Recorded failed until its service has made the work: a worker that dies in between leaves
          // an honest run (it is not retried, its fire time is taken), never a started one with nothing.
          const runId = await this.runs.claim(trx, s.id, fireAt, 'failed', NOT_STARTED);
          if (runId === undefined) continue;
          started += 1;
          pending.push({ runId, schedule: s });
          continue;
        }
        const runId = await this.runs.claim(trx, s.id, fireAt, 'started', null);
        if (runId === undefined) continue;
        started += 1;
        // In a savepoint: a run whose tasks cannot be made is recorded failed, the others still fire.
        await sql`SAVEPOINT run`.execute(trx);
        try {
          const detail = await this.actions.createHeldTasks(trx, s, runId, fireAt);
          await this.runs.finish(trx, runId, 'started', null, detail);
          await sql`RELEASE SAVEPOINT run`.execute(trx);
        } catch (err) {
          await sql`ROLLBACK TO SAVEPOINT run`.execute(trx);
          await this.runs.finish(trx, runId, 'failed', errorMessage(err), {});
          this.logger.warn(`schedule ${s.id} ('${s.name}') run at ${fireAt.toISOString()} failed: ${errorMessage(err)}`);
        }
      }
      await trx
        .updateTable('schedule')
        .set({ last_fire_at: due[due.length - 1] })
        .where('id', '=', s.id)
        .execute();
    });
    for (const p of pending) await this.startOther(p);
    return started;
  }

  /** A reconcile or rollout run: its service starts the work; the run says what it made or why it failed. */
  private async startOther({ runId, schedule }: Pending): Promise<void> {
    try {
      await this.runs.finish(this.db, runId, 'started', null, await this.actions.startOther(schedule));
    } catch (err) {
      await this.runs.finish(this.db, runId, 'failed', errorMessage(err), {});
      this.logger.warn(`schedule ${schedule.id} ('${schedule.name}') run ${runId} failed: ${errorMessage(err)}`);
    }
  }
}

function dueTimes(s: StoredSchedule, now: Date): Date[] {
  return new CronSchedule(s.cron, s.timezone).between(s.lastFireAt ?? s.createdAt, now, MAX_DUE);
}

function isDue(s: StoredSchedule, now: Date): boolean {
  const next = new CronSchedule(s.cron, s.timezone).next(1, s.lastFireAt ?? s.createdAt).at(0);
  return next !== undefined && next <= now;
}
