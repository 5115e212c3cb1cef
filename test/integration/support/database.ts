import { randomBytes } from 'node:crypto';
import { createDb, createPgPool, type Db, type PgPool } from '@pvefleet/db';
import { sql } from 'kysely';
import { inject } from 'vitest';

/** The run's database (test/setup/run-services.ts) through the same typed pool the apps use. */
export function openDb(): { db: Db; pool: PgPool; close: () => Promise<void> } {
  const pool = createPgPool(inject('databaseUrl'), 4);
  const db = createDb(pool);
  return { db, pool, close: () => db.destroy() };
}

/** A name no other test of the run uses, so tests share the database without truncating it. */
export function uniqueName(prefix: string): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

/** A registered node (with a fake credential: nothing here connects to it). */
export async function seedNode(db: Db, name = uniqueName('pve')): Promise<{ id: number; name: string }> {
  const { rows } = await sql<{ id: number }>`
    INSERT INTO node (name, host, credential_type, credential, updated_at)
    VALUES (${name}, '127.0.0.1', 'password', 'sealed', now()) RETURNING id`.execute(db);
  return { id: rows[0].id, name };
}

/** A task row as a worker sees it once claimed: running, holding its node's lease when mutating. */
export async function seedRunningTask(
  db: Db,
  node: { id: number; name: string },
  opts: { type?: string; mutating?: boolean } = {},
): Promise<{ id: string; upid: string }> {
  const upid = `UPID:${node.name}:${randomBytes(4).toString('hex').toUpperCase()}:00000000:00000000:${opts.type ?? 'aptupdate'}::root@pam:`;
  const mutating = opts.mutating ?? true;
  const { rows } = await sql<{ id: string }>`
    INSERT INTO task (upid, node, node_id, type, "user", status, mutating, start_time, started_at)
    VALUES (${upid}, ${node.name}, ${node.id}, ${opts.type ?? 'aptupdate'}, 'root@pam', 'running', ${mutating}, now(), now())
    RETURNING id::text AS id`.execute(db);
  const id = rows[0].id;
  if (mutating) {
    await sql`UPDATE node SET lease_task_id = ${id}::bigint, lease_expires_at = now() + interval '30 seconds' WHERE id = ${node.id}`.execute(
      db,
    );
  }
  return { id, upid };
}
