import { Inject, Injectable } from '@nestjs/common';
import { Db, NotFoundError, type Node } from '@pvefleet/db';
import type { NodeFacts } from '@pvefleet/jobs';
import { TaskSubmissionService, type PlannedTask } from '@pvefleet/tasks';
import { sql } from 'kysely';
import { DESIRED_FIELDS, desiredField } from '../desired-fields';
import { DRIFT_STATUSES, OBSERVED_CLUSTER, type DriftStatus, type FieldDrift } from '../drift';
import type { FixTask } from '../desired-field';
import { DriftRecompute } from './drift-recompute';
import { DriftRepository } from './drift-repository';
import { FactsRefreshSettings } from './facts-refresh-settings';

/** A fix as the drift view shows it: the catalog task and its dry run from the stored facts. */
export interface FixView extends FixTask {
  plan: PlannedTask['plan'];
}

export interface NodeFieldDriftView extends FieldDrift {
  /** When the current status began (ISO). */
  since: string;
  /** What reconcile would run for a drifting field (empty otherwise, or when its kind has nothing to run). */
  fix: FixView[];
}

export interface NodeDriftView {
  node: string;
  cluster: string | null;
  factsAt: string | null;
  factsError: string | null;
  fields: NodeFieldDriftView[];
}

export type StatusCounts = Record<DriftStatus, number>;

export interface FleetDriftQuery {
  start: number;
  limit: number;
  field?: string;
  cluster?: string;
  profile?: string;
}

export interface FleetDriftView {
  /** Nodes with desired state, by their worst field: any drift, else any unknown, else compliant. */
  nodes: StatusCounts & { total: number };
  fields: (StatusCounts & { field: string })[];
  /** By the source of the desired value: a profile's name, or "override". */
  profiles: (StatusCounts & { profile: string })[];
  /** Nodes per cluster (null: standalone or not yet read), by their worst field. */
  clusters: (StatusCounts & { cluster: string | null })[];
  /** Nodes with at least one drifting field, by name. */
  drifting: { total: number; start: number; limit: number; data: { node: string; cluster: string | null; fields: string[] }[] };
}

const zero = (): StatusCounts => ({ compliant: 0, drift: 0, unknown: 0 });
const isStatus = (s: string): s is DriftStatus => (DRIFT_STATUSES as readonly string[]).includes(s);

/** The read side of drift: one node with its fix plans, and the fleet summary (a few statements, whatever the fleet's size). */
@Injectable()
export class DriftQueryService {
  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(DriftRepository) private readonly repo: DriftRepository,
    @Inject(DriftRecompute) private readonly recompute: DriftRecompute,
    @Inject(FactsRefreshSettings) private readonly settings: FactsRefreshSettings,
    @Inject(TaskSubmissionService) private readonly submission: TaskSubmissionService,
  ) {}

  /**
   * One node's drift computed now (so facts that aged past two intervals show `unknown` at once),
   * with `since` from the stored rows, and for each drifting field the dry run of its fix.
   */
  async node(name: string): Promise<NodeDriftView> {
    const id = await this.repo.nodeIdByName(name);
    if (id === undefined) throw new NotFoundError(`node '${name}' does not exist`);
    const [[now], stored, facts] = await Promise.all([this.recompute.compute([id]), this.repo.stored(id), this.facts(id)]);
    const computedAt = new Date().toISOString();
    return {
      node: name,
      cluster: now.node.cluster,
      factsAt: now.node.factsAt?.toISOString() ?? null,
      factsError: now.node.factsError,
      fields: now.drift.map((d) => {
        const kept = stored.get(d.field);
        return {
          ...d,
          since: kept?.status === d.status ? kept.since.toISOString() : computedAt,
          fix: d.status === 'drift' ? this.fixOf(d, { id, name, facts }) : [],
        };
      }),
    };
  }

  async fleet(q: FleetDriftQuery): Promise<FleetDriftView> {
    const cutoff = new Date(Date.now() - 2 * (await this.settings.intervalMs()));
    const [counts, drifting] = await Promise.all([this.counts(cutoff), this.drifting(q, cutoff)]);
    return { ...counts, drifting: { total: drifting.total, start: q.start, limit: q.limit, data: drifting.data } };
  }

  private fixOf(d: FieldDrift, node: Pick<Node, 'id' | 'name' | 'facts'>): FixView[] {
    const field = desiredField(d.field);
    const facts = node.facts as NodeFacts | null;
    if (!field?.fix || !facts) return [];
    return field.fix(d.desired, facts).map((task) => {
      const [planned] = this.submission.plan({ nodes: [node], type: task.type, params: task.params, user: 'drift' });
      return { ...task, plan: planned.plan };
    });
  }

  private async facts(id: number): Promise<Node['facts']> {
    const row = await this.db.selectFrom('node').select('facts').where('id', '=', id).executeTakeFirst();
    return (row?.facts as Node['facts'] | undefined) ?? null;
  }

  /**
   * Every count in one statement. A row whose facts aged past two intervals since it was computed
   * counts as unknown here already: the summary never shows a node compliant on stale facts.
   */
  private async counts(cutoff: Date): Promise<Omit<FleetDriftView, 'drifting'>> {
    const { rows } = await sql<{ kind: 'field' | 'profile' | 'cluster'; key: string | null; status: string; n: number }>`
      WITH n AS MATERIALIZED (
        -- Node rows are wide (their facts): read once, narrowed to what the counts need.
        SELECT id, observed ->> ${OBSERVED_CLUSTER} AS cluster, (facts_at IS NULL OR facts_at < ${cutoff}) AS stale FROM node
      ),
      r AS MATERIALIZED (
        SELECT d.node_id, d.field, d.source, n.cluster, CASE WHEN n.stale THEN 'unknown' ELSE d.status END AS status
          FROM node_drift d JOIN n ON n.id = d.node_id
      ),
      per_node AS (
        SELECT cluster,
               CASE WHEN bool_or(status = 'drift') THEN 'drift' WHEN bool_or(status = 'unknown') THEN 'unknown' ELSE 'compliant' END AS status
          FROM r GROUP BY node_id, cluster
      )
      SELECT 'field' AS kind, field AS key, status, count(*)::int AS n FROM r GROUP BY field, status
      UNION ALL SELECT 'profile', source, status, count(*)::int FROM r GROUP BY source, status
      UNION ALL SELECT 'cluster', cluster, status, count(*)::int FROM per_node GROUP BY cluster, status`.execute(this.db);
    const fields = new Map<string, StatusCounts>();
    const profiles = new Map<string, StatusCounts>();
    const clusters = new Map<string | null, StatusCounts>();
    const nodes = { ...zero(), total: 0 };
    const add = <K>(into: Map<K, StatusCounts>, key: K, status: DriftStatus, n: number) => {
      const counts = into.get(key) ?? zero();
      counts[status] += n;
      into.set(key, counts);
    };
    for (const r of rows) {
      if (!isStatus(r.status)) continue;
      if (r.kind === 'field') add(fields, r.key ?? '', r.status, r.n);
      else if (r.kind === 'profile') add(profiles, r.key ?? '', r.status, r.n);
      else {
        add(clusters, r.key, r.status, r.n);
        nodes[r.status] += r.n;
        nodes.total += r.n;
      }
    }
    const byName = (a: string | null, b: string | null) => (a ?? '').localeCompare(b ?? '');
    const byRegistry = (a: string, b: string) => fieldIndex(a) - fieldIndex(b) || a.localeCompare(b);
    return {
      nodes,
      fields: [...fields].sort(([a], [b]) => byRegistry(a, b)).map(([field, counts]) => ({ field, ...counts })),
      profiles: [...profiles].sort(([a], [b]) => byName(a, b)).map(([profile, counts]) => ({ profile, ...counts })),
      clusters: [...clusters].sort(([a], [b]) => byName(a, b)).map(([cluster, counts]) => ({ cluster, ...counts })),
    };
  }

  private async drifting(q: FleetDriftQuery, cutoff: Date): Promise<{ total: number; data: FleetDriftView['drifting']['data'] }> {
    const { rows } = await sql<{ node: string; cluster: string | null; fields: string[]; total: number }>`
      WITH n AS MATERIALIZED (
        SELECT id, name, observed ->> ${OBSERVED_CLUSTER} AS cluster FROM node WHERE facts_at >= ${cutoff}
      ),
      drifting AS (
        SELECT node_id, array_agg(field ORDER BY field) AS fields FROM node_drift
         WHERE status = 'drift' ${q.field ? sql`AND field = ${q.field}` : sql``} ${q.profile ? sql`AND source = ${q.profile}` : sql``}
         GROUP BY node_id
      )
      SELECT n.name AS node, n.cluster, d.fields, (count(*) OVER ())::int AS total
        FROM drifting d JOIN n ON n.id = d.node_id
       ${q.cluster ? sql`WHERE n.cluster = ${q.cluster}` : sql``}
       ORDER BY n.name
      OFFSET ${q.start} LIMIT ${q.limit}`.execute(this.db);
    const total = rows.length ? rows[0].total : q.start > 0 ? await this.driftingTotal(q, cutoff) : 0;
    return { total, data: rows.map((r) => ({ node: r.node, cluster: r.cluster, fields: r.fields })) };
  }

  /** The total when the page is past the end (the window count came with no row). */
  private async driftingTotal(q: FleetDriftQuery, cutoff: Date): Promise<number> {
    const { rows } = await sql<{ n: number }>`
      SELECT count(DISTINCT d.node_id)::int AS n FROM node_drift d JOIN node n ON n.id = d.node_id
       WHERE d.status = 'drift' AND n.facts_at >= ${cutoff}
         ${q.field ? sql`AND d.field = ${q.field}` : sql``}
         ${q.profile ? sql`AND d.source = ${q.profile}` : sql``}
         ${q.cluster ? sql`AND n.observed ->> ${OBSERVED_CLUSTER} = ${q.cluster}` : sql``}`.execute(this.db);
    return rows[0]?.n ?? 0;
  }
}

/** Fields in the registry's order; keys it does not know last. */
function fieldIndex(key: string): number {
  const i = DESIRED_FIELDS.findIndex((f) => f.key === key);
  return i < 0 ? DESIRED_FIELDS.length : i;
}
