import type { CertificateReportRow } from './certificate-report.types';

/** The CSV's columns, in order: a header line names them. */
export const CSV_COLUMNS = [
  'node',
  'cluster',
  'domains',
  'issuer',
  'notBefore',
  'notAfter',
  'daysLeft',
  'fingerprint',
  'previousFingerprint',
  'changedAt',
  'lastRenewalUpid',
  'lastRenewalStatus',
  'lastRenewalExitstatus',
  'lastRenewalEndTime',
] as const;

/**
 * One field as RFC 4180 wants it: quoted when it holds a comma, quote or line break, quotes doubled.
 * A text starting with `=`, `+`, `-`, `@` or a tab gets a leading `'` first: node-reported text
 * (a certificate subject) must not become a formula in the spreadsheet the CSV is opened in.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const line = (fields: (string | number | null)[]): string => `${fields.map(csvField).join(',')}\r\n`;

export const csvHeader = (): string => line([...CSV_COLUMNS]);

/** One report row as a CSV line (CRLF-terminated, as RFC 4180 says). Domains are space-separated. */
export function csvLine(r: CertificateReportRow): string {
  const renewal = r.lastRenewal;
  return line([
    r.node,
    r.cluster,
    r.domains.join(' '),
    r.issuer,
    r.notBefore,
    r.notAfter,
    r.daysLeft,
    r.fingerprint,
    r.previousFingerprint,
    r.changedAt,
    renewal?.upid ?? null,
    renewal?.status ?? null,
    renewal?.exitstatus ?? null,
    renewal?.endTime ?? null,
  ]);
}
