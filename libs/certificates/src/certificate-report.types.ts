import type { CERTIFICATE_SORTS } from '@pvefleet/contracts';

/** The last acmerenew/acmenewcert task of a node. */
export interface LastRenewal {
  upid: string;
  type: string;
  status: string;
  exitstatus: string | null;
  errorClass: string | null;
  /** Whether it replaced the certificate (null while it runs, or when it failed before saying). */
  renewed: boolean | null;
  endTime: string | null;
}

/** One node's line of the certificate report (times as ISO strings). */
export interface CertificateReportRow {
  node: string;
  cluster: string | null;
  /** The domains (subject alternative names) the certificate covers. */
  domains: string[];
  subject: string | null;
  issuer: string | null;
  notBefore: string | null;
  notAfter: string | null;
  daysLeft: number | null;
  /** SHA-256, `AA:BB:…`. */
  fingerprint: string | null;
  /** The certificate it replaced, and when facts first showed this one. */
  previousFingerprint: string | null;
  changedAt: string | null;
  factsAt: string | null;
  lastRenewal: LastRenewal | null;
}

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
