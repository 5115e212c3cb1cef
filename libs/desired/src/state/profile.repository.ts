import { Inject, Injectable } from '@nestjs/common';
import { ConflictError, Db, NotFoundError, type DB } from '@pvefleet/db';
import type { FieldMap, NodeSelector } from '@pvefleet/desired';
import { sql, type Selectable, type Transaction } from 'kysely';
import { appendRevision } from './desired-revision.repository';
import type { ProfileDocument, StoredProfile } from './desired-documents';

type ProfileRow = Selectable<DB['profile']>;

/** How a save treats an existing profile of that name. */
export type SaveKind = 'create' | 'update' | 'restore';

/** Throws (a ConflictError) when the document may not be saved beside the other profiles. */
export type ProfileCheck = (doc: ProfileDocument, others: readonly ProfileDocument[]) => void;

/**
 * Every statement on `profile`. Each change takes one advisory lock for all profiles, so the conflict
 * check (which reads every other profile) and the write are one decision, and writes its revision in
 * the same transaction.
 */
@Injectable()
export class ProfileRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  /**
   * create: the name must be free; update: it must exist; restore: either (a deleted profile comes
   * back). Returns the profile as saved, with its new revision number.
   */
  async save(kind: SaveKind, doc: ProfileDocument, author: string, check: ProfileCheck): Promise<StoredProfile> {
    return this.db.transaction().execute(async (trx) => {
      await lockProfiles(trx);
      const rows = await trx.selectFrom('profile').selectAll().orderBy('name').execute();
      const current = rows.find((r) => r.name === doc.name);
      if (kind === 'create' && current) throw new ConflictError(`profile '${doc.name}' already exists`);
      if (kind === 'update' && !current) throw new NotFoundError(`profile '${doc.name}' does not exist`);
      check(doc, rows.filter((r) => r.name !== doc.name).map(toDocument));
      const n = await appendRevision(trx, {
        subject: 'profile',
        name: doc.name,
        author,
        before: current ? toDocument(current) : null,
        after: doc,
      });
      const values = {
        description: doc.description,
        selector: JSON.stringify(doc.selector),
        priority: doc.priority,
        fields: JSON.stringify(doc.fields),
        revision: n,
        updated_at: sql<Date>`now()`,
      };
      const row = current
        ? await trx.updateTable('profile').set(values).where('name', '=', doc.name).returningAll().executeTakeFirstOrThrow()
        : await trx
            .insertInto('profile')
            .values({ name: doc.name, ...values })
            .returningAll()
            .executeTakeFirstOrThrow();
      return toStored(row);
    });
  }

  /** Deletes the profile and records a revision with no document. */
  async remove(name: string, author: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await lockProfiles(trx);
      const row = await trx.deleteFrom('profile').where('name', '=', name).returningAll().executeTakeFirst();
      if (!row) throw new NotFoundError(`profile '${name}' does not exist`);
      await appendRevision(trx, { subject: 'profile', name, author, before: toDocument(row), after: null });
    });
  }

  async find(name: string): Promise<StoredProfile | undefined> {
    const row = await this.db.selectFrom('profile').selectAll().where('name', '=', name).executeTakeFirst();
    return row && toStored(row);
  }

  /** By name. */
  async page(start: number, limit: number): Promise<{ data: StoredProfile[]; total: number }> {
    const [rows, counted] = await Promise.all([
      this.db.selectFrom('profile').selectAll().orderBy('name').offset(start).limit(limit).execute(),
      this.db
        .selectFrom('profile')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { data: rows.map(toStored), total: Number(counted.n) };
  }

  /** Every profile (merging reads them all: a fleet has tens, not thousands). */
  async all(): Promise<StoredProfile[]> {
    const rows = await this.db.selectFrom('profile').selectAll().orderBy('name').execute();
    return rows.map(toStored);
  }
}

/** One lock for every profile write: conflicts are between profiles, so saves are decided one at a time. */
async function lockProfiles(trx: Transaction<DB>): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('pvefleet:desired:profiles'))`.execute(trx);
}

function toDocument(r: ProfileRow): ProfileDocument {
  return {
    name: r.name,
    description: r.description,
    selector: r.selector as NodeSelector,
    priority: r.priority,
    fields: r.fields as FieldMap,
  };
}

function toStored(r: ProfileRow): StoredProfile {
  return { ...toDocument(r), revision: r.revision, createdAt: r.created_at, updatedAt: r.updated_at };
}
