import { Inject, Injectable } from '@nestjs/common';
import { ConflictError, Db, type Node } from '@pvefleet/db';
import { sql, type Expression, type ExpressionBuilder, type Selectable, type SqlBool } from 'kysely';
import type { DB } from '@pvefleet/db';

type NodeRow = Selectable<DB['node']>;

/** What a list or a fleet selector asks for; every given criterion must match. */
export interface NodeCriteria {
  names?: string[];
  /** Each pair must be among the node's labels (jsonb containment, so the GIN-able `@>`). */
  labels?: Record<string, string>;
  /** Cluster names as the nodes report them in their facts. */
  clusters?: string[];
  /** Part of the name or host, case-insensitive. */
  text?: string;
}

/** What a new node is stored with; the credential arrives sealed. */
export interface NewNode {
  name: string;
  host: string;
  port: number;
  sshUser: string;
  credentialType: string;
  credential: string;
  hostKeyFingerprint: string | null;
  labels: Record<string, string>;
}

/** A change: undefined fields stay as they are. */
export type NodePatch = Partial<Omit<NewNode, 'name'>> & { hostKeyAlgorithm?: string | null };

const UNIQUE_VIOLATION = '23505';

/** Every statement on the `node` table the API makes (the worker's trust-on-first-use and facts are in NodeAccess). */
@Injectable()
export class NodeRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  async insert(n: NewNode): Promise<Node> {
    try {
      const row = await this.db
        .insertInto('node')
        .values({
          name: n.name,
          host: n.host,
          port: n.port,
          ssh_user: n.sshUser,
          credential_type: n.credentialType,
          credential: n.credential,
          host_key_fingerprint: n.hostKeyFingerprint,
          labels: JSON.stringify(n.labels),
          updated_at: sql<Date>`now()`,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toNode(row);
    } catch (err) {
      if ((err as { code?: string }).code === UNIQUE_VIOLATION) throw new ConflictError(`node '${n.name}' already exists`);
      throw err;
    }
  }

  /** A page of the matching nodes by name, and how many match. */
  async page(criteria: NodeCriteria, start: number, limit: number): Promise<{ data: Node[]; total: number }> {
    const where = (eb: ExpressionBuilder<DB, 'node'>) => matching(eb, criteria);
    const [rows, counted] = await Promise.all([
      this.db.selectFrom('node').selectAll().where(where).orderBy('name').offset(start).limit(limit).execute(),
      this.db
        .selectFrom('node')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where(where)
        .executeTakeFirstOrThrow(),
    ]);
    return { data: rows.map(toNode), total: Number(counted.n) };
  }

  /** Every matching node by name. */
  async all(criteria: NodeCriteria): Promise<Node[]> {
    const rows = await this.db
      .selectFrom('node')
      .selectAll()
      .where((eb) => matching(eb, criteria))
      .orderBy('name')
      .execute();
    return rows.map(toNode);
  }

  /** Which of these names are registered. */
  async existing(names: string[]): Promise<Set<string>> {
    if (!names.length) return new Set();
    const rows = await this.db.selectFrom('node').select('name').where('name', 'in', names).execute();
    return new Set(rows.map((r) => r.name));
  }

  async findByName(name: string): Promise<Node | undefined> {
    const row = await this.db.selectFrom('node').selectAll().where('name', '=', name).executeTakeFirst();
    return row && toNode(row);
  }

  async update(name: string, p: NodePatch): Promise<Node | undefined> {
    const row = await this.db
      .updateTable('node')
      .set({
        ...(p.host !== undefined ? { host: p.host } : {}),
        ...(p.port !== undefined ? { port: p.port } : {}),
        ...(p.sshUser !== undefined ? { ssh_user: p.sshUser } : {}),
        ...(p.labels !== undefined ? { labels: JSON.stringify(p.labels) } : {}),
        ...(p.credentialType !== undefined ? { credential_type: p.credentialType } : {}),
        ...(p.credential !== undefined ? { credential: p.credential } : {}),
        ...(p.hostKeyFingerprint !== undefined ? { host_key_fingerprint: p.hostKeyFingerprint } : {}),
        ...(p.hostKeyAlgorithm !== undefined ? { host_key_algorithm: p.hostKeyAlgorithm } : {}),
        updated_at: sql<Date>`now()`,
      })
      .where('name', '=', name)
      .returningAll()
      .executeTakeFirst();
    return row && toNode(row);
  }

  async deleteByName(name: string): Promise<boolean> {
    const r = await this.db.deleteFrom('node').where('name', '=', name).executeTakeFirst();
    return r.numDeletedRows > 0n;
  }
}

function matching(eb: ExpressionBuilder<DB, 'node'>, c: NodeCriteria): Expression<SqlBool> {
  const conds: Expression<SqlBool>[] = [];
  if (c.names) conds.push(eb('name', 'in', c.names.length ? c.names : ['']));
  if (c.labels && Object.keys(c.labels).length) conds.push(sql<SqlBool>`labels @> ${JSON.stringify(c.labels)}::jsonb`);
  if (c.clusters) conds.push(sql<SqlBool>`(facts -> 'cluster' ->> 'name') = ANY(${c.clusters}::text[])`);
  if (c.text) {
    const pattern = `%${c.text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    conds.push(eb.or([eb('name', 'ilike', pattern), eb('host', 'ilike', pattern)]));
  }
  return eb.and(conds);
}

/** The row in the shape the rest of the code knows (Prisma's `Node`). */
function toNode(r: NodeRow): Node {
  return {
    id: r.id,
    name: r.name,
    host: r.host,
    port: r.port,
    sshUser: r.ssh_user,
    credentialType: r.credential_type,
    credential: r.credential,
    hostKeyFingerprint: r.host_key_fingerprint,
    hostKeyAlgorithm: r.host_key_algorithm,
    labels: r.labels as Node['labels'],
    facts: r.facts as Node['facts'],
    factsAt: r.facts_at,
    leaseTaskId: r.lease_task_id === null ? null : BigInt(r.lease_task_id),
    leaseExpiresAt: r.lease_expires_at,
    observed: r.observed as Node['observed'],
    factsError: r.facts_error,
    factsErrorAt: r.facts_error_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
