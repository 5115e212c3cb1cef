import { Inject, Injectable } from '@nestjs/common';
import { Db, NotFoundError, type DB } from '@pvefleet/db';
import type { FieldMap } from '@pvefleet/desired';
import { sql, type Selectable, type Transaction } from 'kysely';
import { appendRevision } from './desired-revision.repository';
import type { StoredOverride } from './desired-documents';

type OverrideRow = Selectable<DB['node_override']>;

/** The node an override belongs to: its row id, and its name (the revisions' subject name). */
export interface OverrideNode {
  id: number;
  name: string;
}

/** Every statement on `node_override`; each change writes its revision in the same transaction. */
@Injectable()
export class NodeOverrideRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  async find(nodeId: number): Promise<StoredOverride | undefined> {
    const row = await this.db.selectFrom('node_override').selectAll().where('node_id', '=', nodeId).executeTakeFirst();
    return row && toStored(row);
  }

  /** The overrides of these nodes, by node id (one statement). */
  async findMany(nodeIds: readonly number[]): Promise<Map<number, StoredOverride>> {
    if (!nodeIds.length) return new Map();
    const rows = await this.db
      .selectFrom('node_override')
      .selectAll()
      .where('node_id', 'in', [...nodeIds])
      .execute();
    return new Map(rows.map((r) => [r.node_id, toStored(r)]));
  }

  /** Replaces the node's override (creating it), as a new revision. */
  async put(node: OverrideNode, fields: FieldMap, author: string): Promise<StoredOverride> {
    return this.db.transaction().execute(async (trx) => {
      await lockOverride(trx, node.name);
      const current = await trx.selectFrom('node_override').selectAll().where('node_id', '=', node.id).executeTakeFirst();
      const n = await appendRevision(trx, {
        subject: 'override',
        name: node.name,
        author,
        before: current ? { fields: current.fields } : null,
        after: { fields },
      });
      const row = await trx
        .insertInto('node_override')
        .values({ node_id: node.id, fields: JSON.stringify(fields), revision: n, updated_at: sql<Date>`now()` })
        .onConflict((oc) => oc.column('node_id').doUpdateSet({ fields: JSON.stringify(fields), revision: n, updated_at: sql<Date>`now()` }))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toStored(row);
    });
  }

  async remove(node: OverrideNode, author: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await lockOverride(trx, node.name);
      const row = await trx.deleteFrom('node_override').where('node_id', '=', node.id).returningAll().executeTakeFirst();
      if (!row) throw new NotFoundError(`node '${node.name}' has no override`);
      await appendRevision(trx, { subject: 'override', name: node.name, author, before: { fields: row.fields }, after: null });
    });
  }
}

/** One node's override is changed by one writer at a time (its revision numbers stay a sequence). */
async function lockOverride(trx: Transaction<DB>, nodeName: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`pvefleet:desired:override:${nodeName}`}))`.execute(trx);
}

function toStored(r: OverrideRow): StoredOverride {
  return { nodeId: r.node_id, fields: r.fields as FieldMap, revision: r.revision, updatedAt: r.updated_at };
}
