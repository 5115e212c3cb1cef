import { Inject, Injectable } from '@nestjs/common';
import { Db } from '@pvefleet/db';
import type { CertificateFacts } from '@pvefleet/jobs';

/** The `node_certificate` table: every certificate a node was seen with, at its first sight. */
@Injectable()
export class CertificateHistoryRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  /** Records a certificate the first time a node shows it; one already recorded is left alone. True when new. */
  async recordSeen(nodeId: number, cert: CertificateFacts, seenAt: Date): Promise<boolean> {
    const r = await this.db
      .insertInto('node_certificate')
      .values({
        node_id: nodeId,
        fingerprint: cert.fingerprint.toUpperCase(),
        subject: cert.subject,
        issuer: cert.issuer,
        san: cert.san,
        not_before: new Date(cert.notBefore * 1000),
        not_after: new Date(cert.notAfter * 1000),
        seen_at: seenAt,
      })
      .onConflict((oc) => oc.columns(['node_id', 'fingerprint']).doNothing())
      .executeTakeFirst();
    return (r.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }
}
