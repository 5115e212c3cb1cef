import { Inject, Injectable } from '@nestjs/common';
import { documentDiff } from '@pvefleet/desired';
import { ConflictError, Db, NotFoundError, type DB } from '@pvefleet/db';
import type { MissedRunPolicy, OverlapPolicy } from '@pvefleet/schedules';
import { sql, type Selectable, type Transaction } from 'kysely';
import {
  documentOf,
  type ScheduleDocument,
  type StoredAction,
  type StoredSchedule,
  type StoredScheduleRevision,
} from './schedule-documents';

type ScheduleRow = Selectable<DB['schedule']>;

/**
 * Every statement on `schedule` and `schedule_revision`. A change locks its row (FOR UPDATE) and
 * writes its revision in the same transaction, so two writers never take one revision number.
 */
@Injectable()
export class ScheduleRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  /**
   * A new schedule at revision 1; a taken name (or built-in key) is a 409. `since`: the clock's now,
   * from which its fire times are counted (nothing before its creation was missed).
   */
  async create(doc: ScheduleDocument, author: string, since: Date, builtin: string | null = null): Promise<StoredSchedule> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('schedule')
        .values({ ...columnsOf(doc), builtin, revision: 1, last_fire_at: since, updated_at: sql<Date>`now()` })
        .onConflict((oc) => oc.doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!row)
        throw new ConflictError(
          builtin ? `built-in schedule '${builtin}' already exists` : `a schedule named '${doc.name}' already exists`,
        );
      await appendRevision(trx, row.id, 1, author, null, doc);
      return toStored(row);
    });
  }

  /**
   * Applies `change` to the current document under the row's lock and saves the result as the next
   * revision (nothing is written when nothing changed). `lastFireAt` moves with it when given (resume).
   */
  async update(
    id: number,
    author: string,
    change: (current: StoredSchedule) => ScheduleDocument,
    lastFireAt?: Date,
  ): Promise<StoredSchedule> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('schedule').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!row) throw new NotFoundError(`schedule ${id} does not exist`);
      const current = toStored(row);
      const doc = change(current);
      if (JSON.stringify(doc) === JSON.stringify(documentOf(current))) return current;
      if (doc.name !== current.name) {
        const taken = await trx.selectFrom('schedule').select('id').where('name', '=', doc.name).executeTakeFirst();
        if (taken) throw new ConflictError(`a schedule named '${doc.name}' already exists`);
      }
      const n = current.revision + 1;
      await appendRevision(trx, id, n, author, documentOf(current), doc);
      const saved = await trx
        .updateTable('schedule')
        .set({ ...columnsOf(doc), revision: n, updated_at: sql<Date>`now()`, ...(lastFireAt ? { last_fire_at: lastFireAt } : {}) })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toStored(saved);
    });
  }

  /** Deletes the schedule (its runs go with it; its revisions stay, the last one with no document). */
  async remove(id: number, author: string): Promise<StoredSchedule> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('schedule').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!row) throw new NotFoundError(`schedule ${id} does not exist`);
      if (row.builtin) throw new ConflictError(`schedule ${id} ('${row.name}') is built in: it can be changed or paused, not deleted`);
      const current = toStored(row);
      await appendRevision(trx, id, current.revision + 1, author, documentOf(current), null);
      await trx.deleteFrom('schedule').where('id', '=', id).execute();
      return current;
    });
  }

  async find(id: number): Promise<StoredSchedule | undefined> {
    const row = await this.db.selectFrom('schedule').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toStored(row);
  }

  async findBuiltin(key: string): Promise<StoredSchedule | undefined> {
    const row = await this.db.selectFrom('schedule').selectAll().where('builtin', '=', key).executeTakeFirst();
    return row && toStored(row);
  }

  /** By name. */
  async page(start: number, limit: number): Promise<{ data: StoredSchedule[]; total: number }> {
    const [rows, counted] = await Promise.all([
      this.db.selectFrom('schedule').selectAll().orderBy('name').offset(start).limit(limit).execute(),
      this.db
        .selectFrom('schedule')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { data: rows.map(toStored), total: Number(counted.n) };
  }

  /** Every enabled schedule: what the firing sweep and the job scheduler reconciliation read. */
  async enabled(): Promise<StoredSchedule[]> {
    const rows = await this.db.selectFrom('schedule').selectAll().where('enabled', '=', true).orderBy('id').execute();
    return rows.map(toStored);
  }

  /** Newest first; kept after the schedule is deleted. */
  async revisions(id: number, start: number, limit: number): Promise<{ data: StoredScheduleRevision[]; total: number }> {
    const base = this.db.selectFrom('schedule_revision').where('schedule_id', '=', id);
    const [rows, counted] = await Promise.all([
      base.selectAll().orderBy('n', 'desc').offset(start).limit(limit).execute(),
      base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return {
      total: Number(counted.n),
      data: rows.map((r) => ({
        n: r.n,
        author: r.author,
        createdAt: r.created_at,
        document: r.document as Record<string, unknown> | null,
        diff: Array.isArray(r.diff) ? (r.diff as unknown[]) : [],
      })),
    };
  }
}

async function appendRevision(
  trx: Transaction<DB>,
  scheduleId: number,
  n: number,
  author: string,
  before: ScheduleDocument | null,
  after: ScheduleDocument | null,
): Promise<void> {
  const diff = documentDiff(before as Record<string, unknown> | null, after as Record<string, unknown> | null);
  await trx
    .insertInto('schedule_revision')
    .values({ schedule_id: scheduleId, n, author, document: after === null ? null : JSON.stringify(after), diff: JSON.stringify(diff) })
    .execute();
}

function columnsOf(doc: ScheduleDocument) {
  return {
    name: doc.name,
    cron: doc.cron,
    timezone: doc.timezone,
    selector: JSON.stringify(doc.selector),
    action: JSON.stringify(doc.action),
    spread: doc.spread,
    missed_run: doc.missedRun,
    overlap: doc.overlap,
    enabled: doc.enabled,
  };
}

export function toStored(r: ScheduleRow): StoredSchedule {
  return {
    id: r.id,
    name: r.name,
    cron: r.cron,
    timezone: r.timezone,
    selector: r.selector as StoredSchedule['selector'],
    action: r.action as StoredAction,
    spread: r.spread,
    missedRun: r.missed_run as MissedRunPolicy,
    overlap: r.overlap as OverlapPolicy,
    enabled: r.enabled,
    builtin: r.builtin,
    revision: r.revision,
    lastFireAt: r.last_fire_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
