import { Controller, Get, Query } from '@nestjs/common';
import { listAlertsQuery } from '@pvefleet/contracts';
import { AlertRepository, toAlertView } from '@pvefleet/alerts';
import type { z } from 'zod';
import { ZodPipe } from '../common/zod.pipe';

/** Contracts: libs/contracts/src/alerts.contract.ts. */
@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertRepository) {}

  @Get()
  async list(@Query(new ZodPipe(listAlertsQuery, 'query')) q: z.infer<typeof listAlertsQuery>) {
    const { data, total } = await this.alerts.page(
      { rule: q.rule, node: q.node, since: q.since === undefined ? undefined : new Date(q.since) },
      q.start,
      q.limit,
    );
    return { total, start: q.start, limit: q.limit, data: data.map((a) => toAlertView(a.alert, a.deliveries)) };
  }
}
