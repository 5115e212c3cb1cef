import { Module } from '@nestjs/common';
import { CertificateFactsObserver } from './certificate-facts-observer';
import { CertificateHistoryRepository } from './certificate-history.repository';
import { CertificateReportRepository } from './certificate-report.repository';
import { CertificateReportService } from './certificate-report.service';

/** The API's side: GET /certificates (needs DbModule and ConfigModule, both global). */
@Module({
  providers: [CertificateReportRepository, CertificateReportService],
  exports: [CertificateReportService],
})
export class CertificatesModule {}

/** The worker's side: the facts observer that records each new certificate fingerprint. */
@Module({
  providers: [CertificateHistoryRepository, CertificateFactsObserver],
})
export class CertificateHistoryModule {}
