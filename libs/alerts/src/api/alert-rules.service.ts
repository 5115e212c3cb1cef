import { Inject, Injectable } from '@nestjs/common';
import type { UpdateAlertRule } from '@pvefleet/contracts';
import { SpecError, type FieldError } from '@pvefleet/jobs';
import { ALERT_RULE_DEFAULTS, type AlertRuleName } from '../alert-rules';
import { AlertChannelRepository } from '../persistence/alert-channel.repository';
import { AlertRuleRepository, type StoredRule } from '../persistence/alert-rule.repository';

const MAX_THRESHOLD = { days: 365, minutes: 10_080 } as const;

/** The rules' settings through the API. */
@Injectable()
export class AlertRulesService {
  constructor(
    @Inject(AlertRuleRepository) private readonly rules: AlertRuleRepository,
    @Inject(AlertChannelRepository) private readonly channels: AlertChannelRepository,
  ) {}

  all(): Promise<StoredRule[]> {
    return this.rules.all();
  }

  /** A threshold is required by rules that count days or minutes and refused by the others; channels must exist. */
  async update(rule: AlertRuleName, body: UpdateAlertRule): Promise<StoredRule> {
    const unit = ALERT_RULE_DEFAULTS[rule].unit;
    const errors: FieldError[] = [];
    const threshold = body.threshold ?? null;
    if (unit && threshold === null) errors.push({ field: 'threshold', message: `is required: the rule counts ${unit}` });
    if (unit && threshold !== null && threshold > MAX_THRESHOLD[unit]) {
      errors.push({ field: 'threshold', message: `must be at most ${MAX_THRESHOLD[unit]} ${unit}` });
    }
    if (!unit && threshold !== null) errors.push({ field: 'threshold', message: 'must be left out: this rule has no threshold' });
    const existing = new Set(await this.channels.existing(body.channels));
    body.channels.forEach((id, i) => {
      if (!existing.has(id)) errors.push({ field: `channels.${i}`, message: `no alert channel has the id ${id}` });
    });
    if (errors.length) throw new SpecError(errors);
    await this.rules.update(rule, { enabled: body.enabled, threshold, channelIds: [...new Set(body.channels)] });
    const saved = (await this.rules.all()).find((r) => r.rule === rule);
    if (!saved) throw new Error(`alert rule ${rule} vanished after its update`);
    return saved;
  }
}
