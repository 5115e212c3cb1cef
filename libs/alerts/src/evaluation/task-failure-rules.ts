import { Inject, Injectable } from '@nestjs/common';
import { taskFailedMessage } from '../alert-messages';
import { RENEWAL_TASK_TYPES } from '../alert-rules';
import { dedupeKeys } from '../dedupe-keys';
import { AlertRuleRepository } from '../persistence/alert-rule.repository';
import { AlertSourcesRepository } from '../persistence/alert-sources.repository';
import { NewOnly } from './new-only';
import { behind, startCursor, type Evaluation, type EvaluationContext, type RuleEvaluation } from './rule-evaluation';

type TaskRule = 'renewal-failed' | 'scheduled-task-failed';
type TaskFilter = { types?: readonly string[]; exceptTypes?: readonly string[]; scheduledOnly?: boolean };

/** Failed tasks from the rule's cursor (task end times), those its filter keeps. */
class TaskFailureRule implements RuleEvaluation {
  constructor(
    readonly rule: TaskRule,
    private readonly filter: (ctx: EvaluationContext) => TaskFilter,
    private readonly sources: AlertSourcesRepository,
    private readonly rules: AlertRuleRepository,
    private readonly newOnly: NewOnly,
  ) {}

  async evaluate(ctx: EvaluationContext): Promise<Evaluation> {
    const cursor = ctx.rule.cursorAt;
    if (cursor === null) return startCursor(this.sources, this.rules, this.rule);
    const { rows, reachedAt } = await this.sources.failedTasks(behind(cursor), this.filter(ctx));
    const fresh = await this.newOnly.filter(rows, (t) => dedupeKeys.taskFailed(this.rule, t.upid));
    return {
      drafts: fresh.map(({ item: t, key }) => ({
        rule: this.rule,
        dedupeKey: key,
        node: t.node,
        taskUpid: t.upid,
        rolloutId: null,
        ...taskFailedMessage(this.rule, t),
      })),
      advance: () => (reachedAt ? this.rules.advanceCursor(this.rule, reachedAt) : Promise.resolve()),
    };
  }
}

/** The two task rules: failed renewals, and failed tasks a schedule created. */
@Injectable()
export class TaskFailureRules {
  readonly renewal: RuleEvaluation;
  readonly scheduled: RuleEvaluation;

  constructor(
    @Inject(AlertSourcesRepository) sources: AlertSourcesRepository,
    @Inject(AlertRuleRepository) rules: AlertRuleRepository,
    @Inject(NewOnly) newOnly: NewOnly,
  ) {
    this.renewal = new TaskFailureRule('renewal-failed', () => ({ types: RENEWAL_TASK_TYPES }), sources, rules, newOnly);
    // A scheduled renewal that failed is the renewal rule's alert while that rule is on: one alert, not two.
    this.scheduled = new TaskFailureRule(
      'scheduled-task-failed',
      (ctx) => ({
        scheduledOnly: true,
        exceptTypes: ctx.rules.some((r) => r.rule === 'renewal-failed' && r.enabled) ? RENEWAL_TASK_TYPES : [],
      }),
      sources,
      rules,
      newOnly,
    );
  }
}
