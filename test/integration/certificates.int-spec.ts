import {
  CertificateFactsObserver,
  CertificateHistoryRepository,
  CertificateReportRepository,
  CertificateReportService,
  type CertificateReportRow,
  type CertificateSort,
} from '@pvefleet/certificates';
import type { Db } from '@pvefleet/db';
import type { CertificateFacts, NodeFacts } from '@pvefleet/jobs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, seedNode, uniqueName } from './support/database';

const NOW = new Date('2027-02-01T12:00:00Z');
const DAY_S = 86_400;
const clock = { now: () => NOW };
const fp = (n: number) =>
  Array.from({ length: 32 }, (_, i) => ((n >> (i % 4)) + i).toString(16).padStart(2, '0').slice(-2).toUpperCase()).join(':');

function cert(fingerprint: string, daysLeft: number, name = 'pve.example.com'): CertificateFacts {
  const notAfter = NOW.getTime() / 1000 + daysLeft * DAY_S;
  return {
    filename: 'pveproxy-ssl.pem',
    subject: `/CN=${name}`,
    issuer: "/C=US/O=Let's Encrypt/CN=R11",
    san: [name],
    fingerprint,
    notBefore: notAfter - 90 * DAY_S,
    notAfter,
  };
}

/** The certificate history and the report on the run's Postgres: first sightings, the report's SQL, and the CSV's keyset reads over many batches. */
describe('certificates, on Postgres', () => {
  let db: Db;
  let close: () => Promise<void>;
  let history: CertificateHistoryRepository;
  let report: CertificateReportService;

  beforeAll(() => {
    ({ db, close } = openDb());
    history = new CertificateHistoryRepository(db);
    report = new CertificateReportService(new CertificateReportRepository(db), clock);
  });
  afterAll(() => close());

  async function storeFacts(id: number, facts: Partial<NodeFacts>): Promise<void> {
    await sql`UPDATE node SET facts = ${JSON.stringify(facts)}::jsonb, facts_at = now() WHERE id = ${id}`.execute(db);
  }

  async function csvRows(filter: Parameters<CertificateReportService['csv']>[0], sort: CertificateSort): Promise<string[]> {
    let text = '';
    for await (const chunk of report.csv(filter, sort)) text += chunk;
    return text.split('\r\n').slice(1, -1);
  }

  it('records a fingerprint once per node, at its first sighting; the observer records what facts show', async () => {
    const node = await seedNode(db);
    const first = new Date('2027-01-01T00:00:00Z');
    expect(await history.recordSeen(node.id, cert(fp(1), 30), first)).toBe(true);
    expect(await history.recordSeen(node.id, cert(fp(1), 30), new Date('2027-01-02T00:00:00Z'))).toBe(false);
    const observer = new CertificateFactsObserver(history, clock);
    await observer.factsChanged(node.id, { certificate: cert(fp(2), 80) } as NodeFacts);
    await observer.factsChanged(node.id, null);
    await observer.factsChanged(node.id, { certificate: null } as NodeFacts);
    const rows = await db.selectFrom('node_certificate').selectAll().where('node_id', '=', node.id).orderBy('seen_at').execute();
    expect(rows.map((r) => [r.fingerprint, r.seen_at.toISOString(), r.san])).toEqual([
      [fp(1), first.toISOString(), ['pve.example.com']],
      [fp(2), NOW.toISOString(), ['pve.example.com']],
    ]);
    expect(rows[0].not_after.getTime()).toBe(NOW.getTime() + 30 * DAY_S * 1000);
  });

  it('a node shows its current certificate, the previous one, when it changed and its last renewal', async () => {
    const node = await seedNode(db);
    const cluster = uniqueName('c');
    await history.recordSeen(node.id, cert(fp(3), 5), new Date('2026-11-01T00:00:00Z'));
    await history.recordSeen(node.id, cert(fp(4), 89), new Date('2027-01-31T03:40:00Z'));
    await storeFacts(node.id, {
      cluster: { name: cluster } as NodeFacts['cluster'],
      certificate: cert(fp(4), 89.5, `${node.name}.example.com`),
    });
    const upid = `UPID:${node.name}:0000ABCD:00000000:00000000:acmerenew::schedule@pvefleet!certificate-renewal:`;
    await sql`INSERT INTO task (upid, node, node_id, type, "user", status, exitstatus, mutating, start_time, end_time, result)
              VALUES (${upid}, ${node.name}, ${node.id}, 'acmerenew', 'schedule@pvefleet!certificate-renewal', 'stopped', 'OK', true,
                      now(), '2027-01-31T03:41:00Z', ${JSON.stringify({ renewed: true })}::jsonb)`.execute(db);
    const page = await report.page({ cluster, sort: 'daysLeft', start: 0, limit: 10 });
    expect(page).toEqual({
      total: 1,
      start: 0,
      limit: 10,
      data: [
        {
          node: node.name,
          cluster,
          domains: [`${node.name}.example.com`],
          subject: `/CN=${node.name}.example.com`,
          issuer: "/C=US/O=Let's Encrypt/CN=R11",
          notBefore: new Date(NOW.getTime() + (89.5 - 90) * DAY_S * 1000).toISOString(),
          notAfter: new Date(NOW.getTime() + 89.5 * DAY_S * 1000).toISOString(),
          daysLeft: 89,
          fingerprint: fp(4),
          previousFingerprint: fp(3),
          changedAt: '2027-01-31T03:40:00.000Z',
          factsAt: expect.any(String) as string,
          lastRenewal: {
            upid,
            type: 'acmerenew',
            status: 'stopped',
            exitstatus: 'OK',
            errorClass: null,
            renewed: true,
            endTime: '2027-01-31T03:41:00.000Z',
          },
        } satisfies CertificateReportRow,
      ],
    });
  });

  it('the CSV reads the whole report in keyset batches: the same rows, in the same order, as the pages, ties and nodes without a certificate included', async () => {
    const label = uniqueName('suite');
    // 1,203 nodes: ten share each notAfter (ties across batch edges), every 7th has no certificate.
    await sql`
      INSERT INTO node (name, host, credential_type, credential, labels, facts, facts_at, updated_at)
      SELECT ${label} || '-' || lpad(i::text, 5, '0'), '127.0.0.1', 'password', 'sealed',
             jsonb_build_object('suite', ${label}::text),
             CASE WHEN i % 7 = 0 THEN jsonb_build_object('certificate', NULL)
                  ELSE jsonb_build_object('certificate', jsonb_build_object(
                    'filename', 'pveproxy-ssl.pem', 'subject', '/CN=x', 'issuer', '/CN=R11', 'san', jsonb_build_array('x'),
                    'fingerprint', md5(i::text), 'notBefore', 0, 'notAfter', ${NOW.getTime() / 1000}::float8 + (i / 10) * 86400)) END,
             now(), now()
      FROM generate_series(1, 1203) AS i`.execute(db);
    const filter = { labels: { suite: label } };
    for (const sort of ['daysLeft', '-daysLeft', 'node', '-node'] as const) {
      const pages = [
        ...(await report.page({ ...filter, sort, start: 0, limit: 1000 })).data,
        ...(await report.page({ ...filter, sort, start: 1000, limit: 1000 })).data,
      ];
      const csv = await csvRows(filter, sort);
      expect(csv, sort).toHaveLength(1203);
      expect(
        csv.map((l) => l.split(',')[0]),
        sort,
      ).toEqual(pages.map((r) => r.node));
      // Nodes without a certificate come last whichever way days left are sorted.
      if (sort === 'daysLeft' || sort === '-daysLeft') expect(pages.slice(-171).every((r) => r.daysLeft === null)).toBe(true);
    }
    const soon = await csvRows({ ...filter, maxDays: 3 }, 'daysLeft');
    // i from 1 to 39 (days 0..3), without the multiples of 7.
    expect(soon).toHaveLength(39 - 5);
    expect((await report.page({ ...filter, maxDays: 3, sort: 'daysLeft', start: 0, limit: 1 })).total).toBe(34);
  });
});
