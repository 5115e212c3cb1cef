import { Inject, Injectable } from '@nestjs/common';
import { ConflictError, Db, NotFoundError, type DB } from '@pvefleet/db';
import { documentDiff, matchesSelector, type NodeSelector } from '@pvefleet/desired';
import { sql, type Selectable, type Transaction } from 'kysely';
import type { WeeklyRange } from '../windows';
import type { StoredWindow, StoredWindowRevision, WindowDocument } from './windows-documents';

type WindowRow = Selectable<DB['maintenance_window']>;

/** A node as windows select it: by its labels and name (the selector) or its cluster (from its facts). */
export interface WindowedNode {
  id: number;
  name: string;
  labels: Record<string, string>;
  cluster: string | null;
}

/**
 * Every statement on `maintenance_window` and its revisions. A change locks its window's name (an
 * advisory lock, since a created or deleted window has no row to lock) and writes its revision in the
 * same transaction.
 */
@Injectable()
export class WindowsRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  /**
   * Saves what `change` makes of the current window (undefined: none); `create` refuses a taken
   * name, `update` a missing one. `change` runs under the lock, so two patches never lose one.
   */
  save(
    kind: 'create' | 'update',
    name: string,
    author: string,
    change: (current: WindowDocument | undefined) => WindowDocument,
  ): Promise<StoredWindow> {
    return this.db.transaction().execute(async (trx) => {
      await lockWindow(trx, name);
      const current = await trx.selectFrom('maintenance_window').selectAll().where('name', '=', name).executeTakeFirst();
      if (kind === 'create' && current) throw new ConflictError(`window '${name}' already exists`);
      if (kind === 'update' && !current) throw new NotFoundError(`window '${name}' does not exist`);
      const before = current && toDocument(current);
      const doc = change(before);
      const n = await appendRevision(trx, name, author, before ?? null, doc);
      const values = {
        description: doc.description,
        selector: doc.selector === null ? null : JSON.stringify(doc.selector),
        clusters: doc.clusters,
        timezone: doc.timezone,
        weekly: doc.weekly === null ? null : JSON.stringify(doc.weekly),
        rrule: doc.rrule,
        duration_minutes: doc.durationMinutes,
        enabled: doc.enabled,
        revision: n,
        updated_at: sql<Date>`now()`,
      };
      const row = current
        ? await trx.updateTable('maintenance_window').set(values).where('name', '=', name).returningAll().executeTakeFirstOrThrow()
        : await trx
            .insertInto('maintenance_window')
            .values({ name, ...values })
            .returningAll()
            .executeTakeFirstOrThrow();
      return toStored(row);
    });
  }

  /** Deletes the window and records a revision with no document. */
  async remove(name: string, author: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await lockWindow(trx, name);
      const row = await trx.deleteFrom('maintenance_window').where('name', '=', name).returningAll().executeTakeFirst();
      if (!row) throw new NotFoundError(`window '${name}' does not exist`);
      await appendRevision(trx, name, author, toDocument(row), null);
    });
  }

  async find(name: string): Promise<StoredWindow | undefined> {
    const row = await this.db.selectFrom('maintenance_window').selectAll().where('name', '=', name).executeTakeFirst();
    return row && toStored(row);
  }

  /** By name. */
  async page(start: number, limit: number): Promise<{ data: StoredWindow[]; total: number }> {
    const [rows, counted] = await Promise.all([
      this.db.selectFrom('maintenance_window').selectAll().orderBy('name').offset(start).limit(limit).execute(),
      this.db
        .selectFrom('maintenance_window')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { data: rows.map(toStored), total: Number(counted.n) };
  }

  /** Newest first; a deleted window keeps its history. */
  async revisions(name: string, start: number, limit: number): Promise<{ data: StoredWindowRevision[]; total: number }> {
    const base = this.db.selectFrom('maintenance_window_revision').where('name', '=', name);
    const [rows, counted] = await Promise.all([
      base.selectAll().orderBy('n', 'desc').offset(start).limit(limit).execute(),
      base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return {
      data: rows.map((r) => ({
        n: r.n,
        author: r.author,
        createdAt: r.created_at,
        document: r.document as Record<string, unknown> | null,
        diff: Array.isArray(r.diff) ? (r.diff as unknown[]) : [],
      })),
      total: Number(counted.n),
    };
  }

  /**
   * The enabled windows of each node, by node id (nodes with none are absent). A fleet has a handful
   * of windows, so every one is read and matched here against the nodes' labels and clusters.
   */
  async forNodes(where: { ids: readonly number[] } | { name: string }): Promise<Map<number, WindowDocument[]>> {
    const out = new Map<number, WindowDocument[]>();
    if ('ids' in where && !where.ids.length) return out;
    const windows = (await this.db.selectFrom('maintenance_window').selectAll().where('enabled', '=', true).orderBy('name').execute()).map(
      toDocument,
    );
    if (!windows.length) return out;
    let q = this.db.selectFrom('node').select(['id', 'name', 'labels', sql<string | null>`facts -> 'cluster' ->> 'name'`.as('cluster')]);
    q = 'ids' in where ? q.where('id', 'in', [...where.ids]) : q.where('name', '=', where.name);
    for (const n of await q.execute()) {
      const node: WindowedNode = { id: n.id, name: n.name, labels: n.labels as Record<string, string>, cluster: n.cluster };
      const mine = windows.filter((w) => appliesTo(w, node));
      if (mine.length) out.set(node.id, mine);
    }
    return out;
  }
}

/** A window applies to a node its selector picks, or to any node of a listed cluster. */
export function appliesTo(w: Pick<WindowDocument, 'selector' | 'clusters'>, node: WindowedNode): boolean {
  if (node.cluster !== null && w.clusters.includes(node.cluster)) return true;
  return w.selector !== null && matchesSelector(node, w.selector);
}

async function lockWindow(trx: Transaction<DB>, name: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`pvefleet:window:${name}`}))`.execute(trx);
}

/** The next revision number: one more than the last, whether or not the window still exists. */
async function appendRevision(
  trx: Transaction<DB>,
  name: string,
  author: string,
  before: WindowDocument | null,
  after: WindowDocument | null,
): Promise<number> {
  const last = await trx
    .selectFrom('maintenance_window_revision')
    .select((eb) => eb.fn.max('n').as('n'))
    .where('name', '=', name)
    .executeTakeFirst();
  const n = (last?.n ?? 0) + 1;
  const diff = documentDiff(before as Record<string, unknown> | null, after as Record<string, unknown> | null);
  await trx
    .insertInto('maintenance_window_revision')
    .values({ name, n, author, document: after === null ? null : JSON.stringify(after), diff: JSON.stringify(diff) })
    .execute();
  return n;
}

function toDocument(r: WindowRow): WindowDocument {
  return {
    name: r.name,
    description: r.description,
    selector: r.selector as NodeSelector | null,
    clusters: r.clusters,
    timezone: r.timezone,
    weekly: r.weekly as WeeklyRange[] | null,
    rrule: r.rrule,
    durationMinutes: r.duration_minutes,
    enabled: r.enabled,
  };
}

function toStored(r: WindowRow): StoredWindow {
  return { ...toDocument(r), revision: r.revision, createdAt: r.created_at, updatedAt: r.updated_at };
}
