import { Module } from '@nestjs/common';
import { SchedulesModule } from '@pvefleet/schedules/state';
import { CertificateFactsObserver } from './certificate-facts-observer';
import { CertificateHistoryRepository } from './certificate-history.repository';
import { CertificateReportRepository } from './certificate-report.repository';
import { CertificateReportService } from './certificate-report.service';
import { RenewalScheduleSetup } from './renewal-schedule';

/**
 * The API's side: GET /certificates, and the built-in renewal schedule created at start (needs
 * DbModule and ConfigModule, both global).
 */
@Module({
  imports: [SchedulesModule],
  providers: [CertificateReportRepository, CertificateReportService, RenewalScheduleSetup],
  exports: [CertificateReportService],
})
export class CertificatesModule {}

/** The worker's side: the facts observer that records each new certificate fingerprint. */
@Module({
  providers: [CertificateHistoryRepository, CertificateFactsObserver],
})
export class CertificateHistoryModule {}
