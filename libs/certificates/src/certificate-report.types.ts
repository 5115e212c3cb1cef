import type { CERTIFICATE_SORTS, NodeCertificateBody } from '@pvefleet/contracts';

/** One node's line of the certificate report, as the contract describes it (times as ISO strings). */
export type CertificateReportRow = NodeCertificateBody;

/** The node's last acmerenew/acmenewcert task. */
export type LastRenewal = NonNullable<NodeCertificateBody['lastRenewal']>;

/** The report's orders (the contract's list). */
export type CertificateSort = (typeof CERTIFICATE_SORTS)[number];

/** What the report is filtered by; every given criterion must match. */
export interface CertificateFilter {
  /** Part of the node's name or its cluster's, case-insensitive. */
  text?: string;
  cluster?: string;
  /** Each pair must be among the node's labels. */
  labels?: Record<string, string>;
  /** Only certificates with at most this many days left (nodes without one are left out). */
  maxDays?: number;
}
