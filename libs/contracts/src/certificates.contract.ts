import { z } from 'zod';
import { authErrors, errors, int, nullableTime, page, pagingQuery } from './common';
import { endpoint } from './endpoint';
import { clusterName, listNodesQuery } from './nodes.contract';

/** The report's orders: by days left (nodes without a certificate last either way) or by node name. */
export const CERTIFICATE_SORTS = ['daysLeft', '-daysLeft', 'node', '-node'] as const;

export const listCertificatesQuery = z.strictObject({
  /** Part of the node's or its cluster's name, case-insensitive. */
  q: z.string().min(1).max(253).optional(),
  cluster: clusterName.optional(),
  /** `label=dc=fra` (repeatable): every pair must match, as GET /nodes. */
  label: listNodesQuery.shape.label,
  /** Only certificates with at most this many whole days left (expired ones count negative). */
  maxDays: int(-36_500, 36_500).optional(),
  sort: z.enum(CERTIFICATE_SORTS).default('daysLeft'),
  /** `csv`: every matching row (start and limit do not apply), streamed as text/csv. */
  format: z.enum(['json', 'csv']).default('json'),
  ...pagingQuery,
});
export type ListCertificatesQuery = z.infer<typeof listCertificatesQuery>;

const lastRenewal = z
  .strictObject({
    upid: z.string(),
    type: z.string(),
    status: z.string(),
    exitstatus: z.string().nullable(),
    errorClass: z.string().nullable(),
    /** Whether it replaced the certificate (the task's result); null while it runs or when it failed before. */
    renewed: z.boolean().nullable(),
    endTime: nullableTime,
  })
  .nullable();

export const nodeCertificateSchema = z
  .strictObject({
    node: z.string(),
    cluster: z.string().nullable(),
    /** The names the certificate covers (its subject alternative names). */
    domains: z.array(z.string()),
    subject: z.string().nullable(),
    issuer: z.string().nullable(),
    notBefore: nullableTime,
    notAfter: nullableTime,
    /** Whole days left at the server's clock, rounded down; negative once expired. */
    daysLeft: z.number().int().nullable(),
    /** SHA-256, `AA:BB:…`: null when the node's facts show no custom (ACME) certificate. */
    fingerprint: z.string().nullable(),
    /** The certificate this one replaced, and when the node's facts first showed this one. */
    previousFingerprint: z.string().nullable(),
    changedAt: nullableTime,
    /** When the facts it comes from were read. */
    factsAt: nullableTime,
    /** The node's last acmerenew or acmenewcert task. */
    lastRenewal,
  })
  .meta({ id: 'NodeCertificate' });
export type NodeCertificateBody = z.infer<typeof nodeCertificateSchema>;

export const certificatePageSchema = page(nodeCertificateSchema).meta({ id: 'NodeCertificatePage' });
export type CertificatePageBody = z.infer<typeof certificatePageSchema>;

export const certificateEndpoints = [
  endpoint({
    method: 'get',
    path: '/certificates',
    operationId: 'listCertificates',
    summary: "Every node's certificate: domains, issuer, validity, days left, fingerprint and its change, the last renewal",
    description:
      'Sorted by days left by default, filtered and paged in SQL. `format=csv` answers every matching row as ' +
      '`text/csv` (same filters and order, streamed): node, cluster, domains (space-separated), issuer, notBefore, ' +
      'notAfter, daysLeft, fingerprint, previousFingerprint, changedAt, lastRenewalUpid, lastRenewalStatus, ' +
      'lastRenewalExitstatus, lastRenewalEndTime.',
    tag: 'certificates',
    query: listCertificatesQuery,
    responses: {
      200: {
        description: 'A page of the report (or, with format=csv, all of it as CSV)',
        schema: certificatePageSchema,
        alsoCsv: 'The whole report as CSV with a header line (format=csv)',
      },
      400: errors[400],
      ...authErrors,
    },
  }),
];
