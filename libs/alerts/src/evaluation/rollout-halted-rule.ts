import { Inject, Injectable } from '@nestjs/common';
import { rolloutHaltedMessage } from '../alert-messages';
import { dedupeKeys } from '../dedupe-keys';
import { AlertRuleRepository } from '../persistence/alert-rule.repository';
import { AlertSourcesRepository } from '../persistence/alert-sources.repository';
import { NewOnly } from './new-only';
import { behind, startCursor, type Evaluation, type EvaluationContext, type RuleEvaluation } from './rule-evaluation';

/** Rollouts that ended halted, from the rule's cursor (rollout end times). */
@Injectable()
export class RolloutHaltedRule implements RuleEvaluation {
  readonly rule = 'rollout-halted';

  constructor(
    @Inject(AlertSourcesRepository) private readonly sources: AlertSourcesRepository,
    @Inject(AlertRuleRepository) private readonly rules: AlertRuleRepository,
    @Inject(NewOnly) private readonly newOnly: NewOnly,
  ) {}

  async evaluate(ctx: EvaluationContext): Promise<Evaluation> {
    const cursor = ctx.rule.cursorAt;
    if (cursor === null) return startCursor(this.sources, this.rules, this.rule);
    const { rows, reachedAt } = await this.sources.haltedRollouts(behind(cursor));
    const fresh = await this.newOnly.filter(rows, (r) => dedupeKeys.rolloutHalted(r.id));
    return {
      drafts: fresh.map(({ item: r, key }) => ({
        rule: this.rule,
        dedupeKey: key,
        node: r.failedNodes.at(-1) ?? null,
        taskUpid: r.lastFailedUpid,
        rolloutId: r.id,
        ...rolloutHaltedMessage(r),
      })),
      advance: () => (reachedAt ? this.rules.advanceCursor(this.rule, reachedAt) : Promise.resolve()),
    };
  }
}
