import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@pvefleet/config';
import { csvHeader, csvLine } from './certificate-csv';
import { CertificateReportRepository, type CertificateCursor, type CertificateRecord } from './certificate-report.repository';
import type { CertificateFilter, CertificateReportRow, CertificateSort } from './certificate-report.types';
import { daysLeft } from './days-left';

export interface CertificateReportQuery extends CertificateFilter {
  sort: CertificateSort;
  start: number;
  limit: number;
}

export interface CertificateReportPage {
  total: number;
  start: number;
  limit: number;
  data: CertificateReportRow[];
}

/** Rows the CSV reads at a time: memory stays bounded whatever the fleet's size. */
const CSV_BATCH = 500;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
const fromEpoch = (s: number | null): Date | null => (s === null ? null : new Date(s * 1000));

/** The report's row from SQL's, with days left counted at `now` (the Clock's). */
export function toReportRow(r: CertificateRecord, now: Date): CertificateReportRow {
  const notAfter = fromEpoch(r.not_after);
  return {
    node: r.node,
    cluster: r.cluster,
    domains: Array.isArray(r.san) ? r.san.filter((s): s is string => typeof s === 'string').map((s) => s.replace(/^DNS:/i, '')) : [],
    subject: r.subject,
    issuer: r.issuer,
    notBefore: iso(fromEpoch(r.not_before)),
    notAfter: iso(notAfter),
    daysLeft: notAfter ? daysLeft(notAfter, now) : null,
    fingerprint: r.fingerprint,
    previousFingerprint: r.previous_fingerprint,
    changedAt: iso(r.changed_at),
    factsAt: iso(r.facts_at),
    lastRenewal:
      r.renewal_upid === null
        ? null
        : {
            upid: r.renewal_upid,
            type: r.renewal_type ?? '',
            status: r.renewal_status ?? '',
            exitstatus: r.renewal_exitstatus,
            errorClass: r.renewal_error_class,
            renewed: r.renewal_renewed,
            endTime: iso(r.renewal_end_time),
          },
  };
}

/** GET /certificates: the page, or the whole report as CSV lines read in batches. */
@Injectable()
export class CertificateReportService {
  constructor(
    @Inject(CertificateReportRepository) private readonly report: CertificateReportRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async page(q: CertificateReportQuery): Promise<CertificateReportPage> {
    const now = this.clock.now();
    const [total, rows] = await Promise.all([this.report.count(q, now), this.report.page(q, q.sort, now, q.start, q.limit)]);
    return { total, start: q.start, limit: q.limit, data: rows.map((r) => toReportRow(r, now)) };
  }

  /** The header, then every matching row in order; each batch is read only when the previous one was taken. */
  async *csv(filter: CertificateFilter, sort: CertificateSort): AsyncGenerator<string> {
    const now = this.clock.now();
    yield csvHeader();
    let cursor: CertificateCursor | null = null;
    for (;;) {
      const rows = await this.report.after(filter, sort, now, cursor, CSV_BATCH);
      yield rows.map((r) => csvLine(toReportRow(r, now))).join('');
      const last = rows.at(-1);
      if (!last || rows.length < CSV_BATCH) return;
      cursor = { key: last.sort_key, node: last.node };
    }
  }
}
