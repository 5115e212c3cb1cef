import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CreateSchedule, UpdateSchedule } from '@pvefleet/contracts';
import { CLOCK, type Clock } from '@pvefleet/config';
import { NotFoundError } from '@pvefleet/db';
import { errorMessage } from '@pvefleet/errors';
import { JobRegistry, SpecError } from '@pvefleet/jobs';
import { cronErrors } from '@pvefleet/schedules';
import { TaskCancelService, TaskQueryService } from '@pvefleet/tasks';
import { checkAction } from './schedule-action-check';
import { documentOf, type ScheduleDocument, type StoredScheduleRevision } from './schedule-documents';
import { ScheduleRepository } from './schedule.repository';
import { ScheduleRunRepository } from './schedule-run.repository';
import { toScheduleDetailView, toScheduleView } from './schedule-views';

/** How many runs GET /schedules/{id} shows. */
const LAST_RUNS = 10;

/**
 * Schedules as the API offers them: every change checked (cron, time zone, the action by its own
 * kind) and saved with its revision. Firing is the workers' (ScheduleFirer); a change is seen by
 * their sweep within seconds and by their BullMQ job schedulers at the next reconciliation.
 */
@Injectable()
export class SchedulesService {
  private readonly logger = new Logger('Schedules');

  constructor(
    @Inject(ScheduleRepository) private readonly schedules: ScheduleRepository,
    @Inject(ScheduleRunRepository) private readonly runs: ScheduleRunRepository,
    @Inject(JobRegistry) private readonly registry: JobRegistry,
    @Inject(TaskQueryService) private readonly tasks: TaskQueryService,
    @Inject(TaskCancelService) private readonly cancel: TaskCancelService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(body: CreateSchedule, author: string) {
    const doc = this.check(body);
    return toScheduleView(await this.schedules.create(doc, author, this.clock.now()), this.clock.now());
  }

  /**
   * A built-in schedule (e.g. certificate renewal): created once with `doc` and then left as users
   * edited it. Returns it either way.
   */
  async ensureBuiltin(key: string, doc: ScheduleDocument) {
    const existing = await this.schedules.findBuiltin(key);
    if (existing) return existing;
    return this.schedules.create(this.check(doc), 'system', this.clock.now(), key).catch(async (err: unknown) => {
      // Another process created it at the same moment.
      const raced = await this.schedules.findBuiltin(key);
      if (raced) return raced;
      throw err;
    });
  }

  async update(id: number, body: UpdateSchedule, author: string) {
    const saved = await this.schedules.update(id, author, (current) => this.check({ ...current, ...body }));
    return toScheduleView(saved, this.clock.now());
  }

  async pause(id: number, author: string) {
    return toScheduleView(await this.schedules.update(id, author, (c) => ({ ...documentOf(c), enabled: false })), this.clock.now());
  }

  /** Fire times while it was paused are not run: firing starts again from now. */
  async resume(id: number, author: string) {
    const now = this.clock.now();
    const current = await this.schedules.find(id);
    if (current?.enabled) return toScheduleView(current, now);
    return toScheduleView(await this.schedules.update(id, author, (c) => ({ ...documentOf(c), enabled: true }), now), now);
  }

  /** Deleted, and its tasks still held cancelled (they would otherwise start with no schedule). */
  async remove(id: number, author: string): Promise<void> {
    const held = await this.runs.heldTaskUpids(id);
    await this.schedules.remove(id, author);
    for (const upid of held) {
      try {
        await this.cancel.cancel(await this.tasks.get(upid), author);
      } catch (err) {
        this.logger.warn(`schedule ${id} deleted: its held task ${upid} was not cancelled (${errorMessage(err)})`);
      }
    }
  }

  async get(id: number) {
    const s = await this.schedules.find(id);
    if (!s) throw new NotFoundError(`schedule ${id} does not exist`);
    return toScheduleDetailView(s, this.clock.now(), await this.runs.latest(id, LAST_RUNS));
  }

  async list(start: number, limit: number) {
    const { data, total } = await this.schedules.page(start, limit);
    const now = this.clock.now();
    return { total, start, limit, data: data.map((s) => toScheduleView(s, now)) };
  }

  /** Newest first; a deleted schedule keeps its history. */
  async revisions(id: number, start: number, limit: number): Promise<{ data: StoredScheduleRevision[]; total: number }> {
    const page = await this.schedules.revisions(id, start, limit);
    if (page.total === 0) throw new NotFoundError(`schedule ${id} does not exist`);
    return page;
  }

  /** The document as it will be saved, or a SpecError naming each bad field. */
  private check(doc: ScheduleDocument): ScheduleDocument {
    const errors = cronErrors(doc.cron, doc.timezone);
    if (errors.length) throw new SpecError(errors);
    checkAction(doc.action, this.registry);
    return documentOf(doc);
  }
}
