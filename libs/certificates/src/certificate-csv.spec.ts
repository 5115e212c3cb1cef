import { describe, expect, it } from 'vitest';
import { csvField, csvHeader, csvLine } from './certificate-csv';
import type { CertificateReportRow } from './certificate-report.types';

const row: CertificateReportRow = {
  node: 'pve1',
  cluster: 'prod',
  domains: ['pve1.example.com', 'pve.example.com'],
  subject: '/CN=pve1.example.com',
  issuer: "/C=US/O=Let's Encrypt/CN=R11",
  notBefore: '2026-09-14T00:00:00.000Z',
  notAfter: '2026-12-13T00:00:00.000Z',
  daysLeft: 9,
  fingerprint: 'AB:CD',
  previousFingerprint: null,
  changedAt: '2026-09-14T00:05:00.000Z',
  factsAt: '2026-12-03T00:00:00.000Z',
  lastRenewal: null,
};

describe('certificate CSV', () => {
  it('a header and one CRLF line per node, empty for nulls, domains space-separated', () => {
    expect(csvHeader()).toBe(
      'node,cluster,domains,issuer,notBefore,notAfter,daysLeft,fingerprint,previousFingerprint,changedAt,' +
        'lastRenewalUpid,lastRenewalStatus,lastRenewalExitstatus,lastRenewalEndTime\r\n',
    );
    expect(csvLine(row)).toBe(
      "pve1,prod,pve1.example.com pve.example.com,/C=US/O=Let's Encrypt/CN=R11,2026-09-14T00:00:00.000Z,2026-12-13T00:00:00.000Z,9,AB:CD,,2026-09-14T00:05:00.000Z,,,,\r\n",
    );
    const renewal = {
      upid: 'UPID:pve1:1',
      type: 'acmerenew',
      status: 'stopped',
      exitstatus: 'TASK, "failed"',
      errorClass: 'permanent',
      renewed: null,
      endTime: null,
    };
    expect(csvLine({ ...row, cluster: null, daysLeft: -3, lastRenewal: renewal })).toMatch(
      /,-3,AB:CD,.*,UPID:pve1:1,stopped,"TASK, ""failed""",\r\n$/,
    );
  });

  it('quotes commas, quotes and line breaks; defuses spreadsheet formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField(-3)).toBe('-3');
    expect(csvField(null)).toBe('');
  });
});
