import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { alertRuleParams, listAlertRulesQuery, updateAlertRuleSchema, type UpdateAlertRule } from '@pvefleet/contracts';
import { AlertRulesService, toRuleView, type AlertRuleName } from '@pvefleet/alerts';
import type { z } from 'zod';
import { ZodPipe } from '../common/zod.pipe';

const ruleParam = new ZodPipe(alertRuleParams.shape.rule, 'rule');

/** Contracts: libs/contracts/src/alerts.contract.ts. Five rules, always all listed (a fixed set with their settings). */
@Controller('alert-rules')
export class AlertRulesController {
  constructor(private readonly rules: AlertRulesService) {}

  @Get()
  async list(@Query(new ZodPipe(listAlertRulesQuery, 'query')) q: z.infer<typeof listAlertRulesQuery>) {
    const all = await this.rules.all();
    return { total: all.length, start: q.start, limit: q.limit, data: all.slice(q.start, q.start + q.limit).map(toRuleView) };
  }

  @Put(':rule')
  async update(@Param('rule', ruleParam) rule: AlertRuleName, @Body(new ZodPipe(updateAlertRuleSchema)) body: UpdateAlertRule) {
    return toRuleView(await this.rules.update(rule, body));
  }
}
