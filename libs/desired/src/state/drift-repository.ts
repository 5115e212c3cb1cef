import { Inject, Injectable } from '@nestjs/common';
import { Db } from '@pvefleet/db';
import type { NodeFacts } from '@pvefleet/jobs';
import { sql } from 'kysely';
import { OBSERVED_CLUSTER, type FieldDrift } from '../drift';
import type { FieldMap, OverrideDoc, ProfileDoc } from '../merge';
import type { NodeSelector } from '../selector';

/** A node as drift is computed from it: who it is for selectors, and what its last facts showed. */
export interface DriftNode {
  id: number;
  name: string;
  labels: Record<string, string>;
  cluster: string | null;
  observed: Record<string, unknown> | null;
  factsAt: Date | null;
  factsError: string | null;
  factsErrorAt: Date | null;
  /** The full facts, only for a node whose observation is missing (stored before the fields existed). */
  facts: NodeFacts | null;
}

/** A stored drift row as the views read it. */
export interface StoredDrift {
  field: string;
  status: string;
  since: Date;
  computedAt: Date;
}

/** A row to write: one node's drift of one field. */
export type DriftRow = FieldDrift & { nodeId: number };

/**
 * The SQL of drift: the inputs it is computed from (nodes, profiles, overrides), and `node_drift`
 * written in bulk, one statement for any number of nodes.
 */
@Injectable()
export class DriftRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  /** The nodes to compute (all when `ids` is undefined), by id. */
  async nodes(ids?: readonly number[]): Promise<DriftNode[]> {
    if (ids && !ids.length) return [];
    let q = this.db
      .selectFrom('node')
      .select([
        'id',
        'name',
        'labels',
        'observed',
        'facts_at',
        'facts_error',
        'facts_error_at',
        sql<string | null>`coalesce(observed ->> ${OBSERVED_CLUSTER}, facts -> 'cluster' ->> 'name')`.as('cluster'),
        // Full facts are read only where the observation is missing: they are large, observations small.
        sql`CASE WHEN observed IS NULL THEN facts END`.as('facts'),
      ])
      .orderBy('id');
    if (ids) q = q.where('id', '=', sql<number>`ANY(${[...ids]}::int[])`);
    const rows = await q.execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      labels: r.labels as Record<string, string>,
      cluster: r.cluster,
      observed: r.observed as Record<string, unknown> | null,
      factsAt: r.facts_at,
      factsError: r.facts_error,
      factsErrorAt: r.facts_error_at,
      facts: r.facts as NodeFacts | null,
    }));
  }

  async nodeIdByName(name: string): Promise<number | undefined> {
    const row = await this.db.selectFrom('node').select('id').where('name', '=', name).executeTakeFirst();
    return row?.id;
  }

  async profiles(): Promise<ProfileDoc[]> {
    const rows = await this.db
      .selectFrom('profile')
      .select(['name', 'priority', 'revision', 'selector', 'fields'])
      .orderBy('name')
      .execute();
    return rows.map((r) => ({
      name: r.name,
      priority: r.priority,
      revision: r.revision,
      selector: r.selector as NodeSelector,
      fields: r.fields as FieldMap,
    }));
  }

  /** Overrides by node id (of these nodes, or all). */
  async overrides(ids?: readonly number[]): Promise<Map<number, OverrideDoc>> {
    let q = this.db.selectFrom('node_override').select(['node_id', 'revision', 'fields']);
    if (ids) q = q.where('node_id', '=', sql<number>`ANY(${[...ids]}::int[])`);
    const rows = await q.execute();
    return new Map(rows.map((r) => [r.node_id, { revision: r.revision, fields: r.fields as FieldMap }]));
  }

  /** Observations computed here for nodes whose facts predate them (written once, then the worker keeps them). */
  async backfillObserved(observed: { id: number; observed: Record<string, unknown> }[]): Promise<void> {
    if (!observed.length) return;
    await sql`
      UPDATE node SET observed = u.observed
        FROM unnest(${observed.map((o) => o.id)}::int[], ${observed.map((o) => JSON.stringify(o.observed))}::jsonb[]) AS u(id, observed)
       WHERE node.id = u.id AND node.observed IS NULL`.execute(this.db);
  }

  /**
   * Replaces the drift of these nodes with `rows` in one statement: rows upserted (`since` kept while
   * the status stays the same), the nodes' rows of fields no longer desired deleted. A row's observation
   * is the node's stored one (`node.observed`, which the rows were computed from).
   */
  async write(nodeIds: readonly number[], rows: readonly DriftRow[], now: Date): Promise<void> {
    if (!nodeIds.length) return;
    // One order for every writer, so two recomputations over the same rows never deadlock.
    const sorted = [...rows].sort((a, b) => a.nodeId - b.nodeId || (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
    // Desired values repeat across the nodes of a profile: each distinct one is sent once. Observations
    // are read from node.observed, where they already are, rather than sent back.
    const desired = new Map<string, number>();
    const desiredAt = (value: unknown) => {
      const json = JSON.stringify(value ?? null);
      let i = desired.get(json);
      if (i === undefined) desired.set(json, (i = desired.size + 1));
      return i;
    };
    const desiredIndex = sorted.map((r) => desiredAt(r.desired));
    await sql`
      WITH input AS (
        SELECT u.node_id, u.field, u.status, u.mode, u.source, (${[...desired.keys()]}::jsonb[])[u.desired_i] AS desired,
               nullif(n.observed -> u.field, 'null'::jsonb) AS observed, u.reason
          FROM unnest(
                 ${sorted.map((r) => r.nodeId)}::int[], ${sorted.map((r) => r.field)}::text[], ${sorted.map((r) => r.status)}::text[],
                 ${sorted.map((r) => r.mode)}::text[], ${sorted.map((r) => sourceName(r))}::text[], ${desiredIndex}::int[],
                 ${sorted.map((r) => r.reason)}::text[]
               ) AS u(node_id, field, status, mode, source, desired_i, reason)
          JOIN node n ON n.id = u.node_id
      ),
      gone AS (
        DELETE FROM node_drift d
         WHERE d.node_id = ANY(${[...nodeIds]}::int[])
           AND NOT EXISTS (SELECT 1 FROM input i WHERE i.node_id = d.node_id AND i.field = d.field)
      )
      INSERT INTO node_drift (node_id, field, status, mode, source, desired, observed, reason, since, computed_at)
      SELECT node_id, field, status, mode, source, desired, observed, reason, ${now}, ${now} FROM input
      ORDER BY node_id, field
      ON CONFLICT (node_id, field) DO UPDATE SET
        status = EXCLUDED.status, mode = EXCLUDED.mode, source = EXCLUDED.source, desired = EXCLUDED.desired,
        observed = EXCLUDED.observed, reason = EXCLUDED.reason, computed_at = EXCLUDED.computed_at,
        since = CASE WHEN node_drift.status = EXCLUDED.status THEN node_drift.since ELSE EXCLUDED.since END
      -- A row whose outcome did not change is left alone (computed_at is when it last changed): a full
      -- recomputation after a change that moves a third of the fleet rewrites a third of the rows, and
      -- the table does not bloat with dead copies of unchanged ones.
      WHERE (node_drift.status, node_drift.mode, node_drift.source, node_drift.desired, node_drift.observed, node_drift.reason)
            IS DISTINCT FROM (EXCLUDED.status, EXCLUDED.mode, EXCLUDED.source, EXCLUDED.desired, EXCLUDED.observed, EXCLUDED.reason)`.execute(
      this.db,
    );
  }

  /** One node's stored rows (for `since`). */
  async stored(nodeId: number): Promise<Map<string, StoredDrift>> {
    const rows = await this.db
      .selectFrom('node_drift')
      .select(['field', 'status', 'since', 'computed_at'])
      .where('node_id', '=', nodeId)
      .execute();
    return new Map(rows.map((r) => [r.field, { field: r.field, status: r.status, since: r.since, computedAt: r.computed_at }]));
  }
}

/** `node_drift.source`: the profile's name, or "override". */
export function sourceName(d: Pick<FieldDrift, 'source'>): string {
  return d.source.kind === 'override' ? 'override' : d.source.name;
}
