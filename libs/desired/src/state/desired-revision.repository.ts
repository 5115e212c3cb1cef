import { Inject, Injectable } from '@nestjs/common';
import { documentDiff } from '@pvefleet/desired';
import { Db, type DB } from '@pvefleet/db';
import type { Transaction } from 'kysely';
import type { RevisionSubject, StoredRevision } from './desired-documents';

/** What one change writes: the document after it (null: deleted) and the one before, for the diff. */
export interface RevisionWrite {
  subject: RevisionSubject;
  name: string;
  author: string;
  before: object | null;
  after: object | null;
}

/**
 * Appends the next revision of a profile or override inside the caller's transaction and returns its
 * number: one more than the last, whether or not the subject still exists (a re-created profile
 * continues its history). The caller holds the subject's lock, so two writers never take one number.
 */
export async function appendRevision(trx: Transaction<DB>, w: RevisionWrite): Promise<number> {
  const last = await trx
    .selectFrom('desired_revision')
    .select((eb) => eb.fn.max('n').as('n'))
    .where('subject', '=', w.subject)
    .where('name', '=', w.name)
    .executeTakeFirst();
  const n = (last?.n ?? 0) + 1;
  const diff = documentDiff(w.before as Record<string, unknown> | null, w.after as Record<string, unknown> | null);
  await trx
    .insertInto('desired_revision')
    .values({
      subject: w.subject,
      name: w.name,
      n,
      author: w.author,
      document: w.after === null ? null : JSON.stringify(w.after),
      diff: JSON.stringify(diff),
    })
    .execute();
  return n;
}

/** Reads of the `desired_revision` history (writes go through `appendRevision`, with their change). */
@Injectable()
export class DesiredRevisionRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  /** Newest first. */
  async page(subject: RevisionSubject, name: string, start: number, limit: number): Promise<{ data: StoredRevision[]; total: number }> {
    const base = this.db.selectFrom('desired_revision').where('subject', '=', subject).where('name', '=', name);
    const [rows, counted] = await Promise.all([
      base.selectAll().orderBy('n', 'desc').offset(start).limit(limit).execute(),
      base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { data: rows.map(toRevision), total: Number(counted.n) };
  }

  async find(subject: RevisionSubject, name: string, n: number): Promise<StoredRevision | undefined> {
    const row = await this.db
      .selectFrom('desired_revision')
      .selectAll()
      .where('subject', '=', subject)
      .where('name', '=', name)
      .where('n', '=', n)
      .executeTakeFirst();
    return row && toRevision(row);
  }
}

function toRevision(r: { n: number; author: string; created_at: Date; document: unknown; diff: unknown }): StoredRevision {
  return {
    n: r.n,
    author: r.author,
    createdAt: r.created_at,
    document: r.document as Record<string, unknown> | null,
    diff: Array.isArray(r.diff) ? (r.diff as unknown[]) : [],
  };
}
