import { Inject, Injectable } from '@nestjs/common';
import { Db } from '@pvefleet/db';
import { sql, type RawBuilder } from 'kysely';
import { expiresBefore } from './days-left';
import type { CertificateFilter, CertificateSort } from './certificate-report.types';

/** A report row as SQL gives it; the service adds days left and shapes it. */
export interface CertificateRecord {
  node: string;
  cluster: string | null;
  subject: string | null;
  issuer: string | null;
  san: unknown;
  fingerprint: string | null;
  /** Epoch seconds, as the facts hold them. */
  not_before: number | null;
  not_after: number | null;
  facts_at: Date | null;
  changed_at: Date | null;
  previous_fingerprint: string | null;
  renewal_upid: string | null;
  renewal_type: string | null;
  renewal_status: string | null;
  renewal_exitstatus: string | null;
  renewal_error_class: string | null;
  renewal_renewed: boolean | null;
  renewal_end_time: Date | null;
  /** The keyset position of the row in its order (see `orderKey`). */
  sort_key: number;
}

/** Where a keyset read (the CSV) goes on from: the last row's sort key and name. */
export interface CertificateCursor {
  key: number;
  node: string;
}

const CERT = sql`(n.facts -> 'certificate')`;
const NOT_AFTER = sql`(CASE WHEN jsonb_typeof(n.facts -> 'certificate' -> 'notAfter') = 'number' THEN (n.facts -> 'certificate' ->> 'notAfter')::float8 END)`;

/**
 * One number per row that orders the report, nodes without a certificate last either way: notAfter
 * (days left ascending) or its negation (descending), or 0 when the order is by name alone.
 */
function orderKey(sort: CertificateSort): RawBuilder<number> {
  if (sort === 'daysLeft') return sql<number>`coalesce(${NOT_AFTER}, 'Infinity'::float8)`;
  if (sort === '-daysLeft') return sql<number>`coalesce(-${NOT_AFTER}, 'Infinity'::float8)`;
  return sql<number>`0::float8`;
}

const nameDescending = (sort: CertificateSort) => sort === '-node';

/**
 * GET /certificates in SQL: every node with the certificate its facts show, the previous one and
 * when it changed (node_certificate), and its last renewal task; filtered, ordered and paged here.
 */
@Injectable()
export class CertificateReportRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  async count(filter: CertificateFilter, now: Date): Promise<number> {
    const r = await sql<{ n: string }>`SELECT count(*) AS n FROM node n WHERE ${this.where(filter, now)}`.execute(this.db);
    return Number(r.rows[0]?.n ?? 0);
  }

  /** One page, by offset (the JSON answer). */
  async page(filter: CertificateFilter, sort: CertificateSort, now: Date, start: number, limit: number): Promise<CertificateRecord[]> {
    return this.select(filter, sort, now, sql`TRUE`, sql`OFFSET ${start} LIMIT ${limit}`);
  }

  /** The rows after `after` in the report's order, `limit` of them (the CSV reads the whole report this way). */
  async after(
    filter: CertificateFilter,
    sort: CertificateSort,
    now: Date,
    after: CertificateCursor | null,
    limit: number,
  ): Promise<CertificateRecord[]> {
    const key = orderKey(sort);
    const cmp = nameDescending(sort) ? sql`<` : sql`>`;
    const position = after ? sql`(${key} > ${after.key} OR (${key} = ${after.key} AND n.name ${cmp} ${after.node}))` : sql`TRUE`;
    return this.select(filter, sort, now, position, sql`LIMIT ${limit}`);
  }

  private async select(
    filter: CertificateFilter,
    sort: CertificateSort,
    now: Date,
    position: RawBuilder<unknown>,
    window: RawBuilder<unknown>,
  ): Promise<CertificateRecord[]> {
    const key = orderKey(sort);
    const direction = nameDescending(sort) ? sql`DESC` : sql`ASC`;
    // The page of nodes first (filtered, ordered, cut), then the joins for those rows only.
    const r = await sql<CertificateRecord>`
      WITH page AS (
        SELECT n.id, n.name, n.facts, n.facts_at, ${key} AS sort_key FROM node n
        WHERE ${this.where(filter, now)} AND ${position}
        ORDER BY ${key} ASC, n.name ${direction}
        ${window}
      )
      SELECT n.name AS node,
             n.facts -> 'cluster' ->> 'name' AS cluster,
             ${CERT} ->> 'subject' AS subject,
             ${CERT} ->> 'issuer' AS issuer,
             ${CERT} -> 'san' AS san,
             upper(${CERT} ->> 'fingerprint') AS fingerprint,
             (CASE WHEN jsonb_typeof(${CERT} -> 'notBefore') = 'number' THEN (${CERT} ->> 'notBefore')::float8 END) AS not_before,
             ${NOT_AFTER} AS not_after,
             n.facts_at,
             cur.seen_at AS changed_at,
             prev.fingerprint AS previous_fingerprint,
             r.upid AS renewal_upid,
             r.type AS renewal_type,
             r.status::text AS renewal_status,
             r.exitstatus AS renewal_exitstatus,
             r.error_class AS renewal_error_class,
             (CASE WHEN jsonb_typeof(r.result -> 'renewed') = 'boolean' THEN (r.result ->> 'renewed')::boolean END) AS renewal_renewed,
             r.end_time AS renewal_end_time,
             n.sort_key
      FROM page n
      LEFT JOIN LATERAL (
        SELECT h.seen_at FROM node_certificate h
        WHERE h.node_id = n.id AND h.fingerprint = upper(${CERT} ->> 'fingerprint')
      ) cur ON TRUE
      LEFT JOIN LATERAL (
        SELECT h.fingerprint FROM node_certificate h
        WHERE h.node_id = n.id AND h.fingerprint <> coalesce(upper(${CERT} ->> 'fingerprint'), '')
        ORDER BY h.seen_at DESC LIMIT 1
      ) prev ON TRUE
      -- The partial index task_renewal_idx: one probe per node.
      LEFT JOIN LATERAL (
        SELECT t.upid, t.type, t.status, t.exitstatus, t.error_class, t.result, t.end_time FROM task t
        WHERE t.node = n.name AND t.type IN ('acmerenew', 'acmenewcert')
        ORDER BY t.start_time DESC, t.id DESC LIMIT 1
      ) r ON TRUE
      ORDER BY n.sort_key ASC, n.name ${direction}`.execute(this.db);
    return r.rows;
  }

  private where(f: CertificateFilter, now: Date): RawBuilder<unknown> {
    const conds: RawBuilder<unknown>[] = [sql`TRUE`];
    if (f.text) {
      const pattern = `%${f.text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      conds.push(sql`(n.name ILIKE ${pattern} OR (n.facts -> 'cluster' ->> 'name') ILIKE ${pattern})`);
    }
    if (f.cluster !== undefined) conds.push(sql`(n.facts -> 'cluster' ->> 'name') = ${f.cluster}`);
    if (f.labels && Object.keys(f.labels).length) conds.push(sql`n.labels @> ${JSON.stringify(f.labels)}::jsonb`);
    if (f.maxDays !== undefined) conds.push(sql`${NOT_AFTER} < ${expiresBefore(f.maxDays, now).getTime() / 1000}`);
    return sql.join(conds, sql` AND `);
  }
}
