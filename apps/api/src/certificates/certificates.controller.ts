import { Controller, Get, Inject, Logger, Query, Res } from '@nestjs/common';
import { CertificateReportService } from '@pvefleet/certificates';
import { listCertificatesQuery, type CertificatePageBody, type ListCertificatesQuery } from '@pvefleet/contracts';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZodPipe } from '../common/zod.pipe';

/** Contract: libs/contracts/src/certificates.contract.ts. The fleet's certificate report, as JSON pages or CSV. */
@Controller()
export class CertificatesController {
  private readonly logger = new Logger('Certificates');

  constructor(@Inject(CertificateReportService) private readonly report: CertificateReportService) {}

  @Get('certificates')
  async list(@Query(new ZodPipe(listCertificatesQuery, 'query')) q: ListCertificatesQuery, @Res() res: Response): Promise<void> {
    const filter = { text: q.q, cluster: q.cluster, labels: q.label, maxDays: q.maxDays };
    if (q.format === 'json') {
      const page: CertificatePageBody = await this.report.page({ ...filter, sort: q.sort, start: q.start, limit: q.limit });
      res.json(page);
      return;
    }
    const lines = this.report.csv(filter, q.sort);
    // The header and first batch are read before the status is sent: a database that is away still
    // answers 503 (the error filter), not a cut-off 200.
    const first = await lines.next();
    res.status(200).set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="certificates.csv"' });
    const rest = async function* (): AsyncGenerator<string> {
      if (!first.done) yield first.value;
      yield* lines;
    };
    try {
      // Backpressure: the next batch is read only when the client took the last one.
      await pipeline(Readable.from(rest()), res);
    } catch (err) {
      // Headers are sent: the client sees a cut-off body (and a client that went away ends here too).
      this.logger.warn(`certificate CSV stopped after its start: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
