import { Kysely, PostgresDialect } from 'kysely';
import type { DB } from './generated/kysely/types';
import type { PgPool } from './pg-pool';

/**
 * Typed SQL on the process's pool. Kysely, not Prisma, for the repositories: their statements are
 * guarded state transitions (`UPDATE … WHERE <guard> RETURNING`), batched claims and CTEs that a
 * CRUD client cannot express, yet every table and column is checked against types generated offline
 * from prisma/schema.prisma (prisma-kysely). Prisma TypedSQL would need a live database at generate
 * time and its query engine in the workers (some 60 MB each) for the same result.
 */
export class Db extends Kysely<DB> {}

export function createDb(pool: PgPool): Db {
  return new Db({ dialect: new PostgresDialect({ pool }) });
}

export type { DB } from './generated/kysely/types';
