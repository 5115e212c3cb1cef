import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { CLOCK, type Clock } from '@pvefleet/config';
import { errorMessage } from '@pvefleet/errors';
import type { AlertRuleName } from '../alert-rules';
import { AlertRaiser } from '../delivery/alert-raiser';
import { AlertRuleRepository } from '../persistence/alert-rule.repository';
import { CertificateExpiringRule } from './certificate-rule';
import { NodeUnreachableRule } from './node-unreachable-rule';
import { RolloutHaltedRule } from './rollout-halted-rule';
import type { RuleEvaluation } from './rule-evaluation';
import { TaskFailureRules } from './task-failure-rules';

/** Between passes (real time). A pass is a few indexed reads per rule. */
export const EVALUATE_EVERY_MS = 3_000;
/** A failing pass is logged at once, then once per this many passes while it keeps failing. */
const LOG_EVERY_FAILURES = 20;

/**
 * The alert rules' loop in every worker: each pass reads every enabled rule's source from its cursor
 * and raises what is new. Any number of workers run it at once: the unique dedupe key makes each alert
 * once, and cursors only move forward.
 */
@Injectable()
export class AlertEvaluator implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Alerts');
  private readonly evaluations: Record<AlertRuleName, RuleEvaluation>;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private failures = 0;

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AlertRuleRepository) private readonly rules: AlertRuleRepository,
    @Inject(AlertRaiser) private readonly raiser: AlertRaiser,
    @Inject(CertificateExpiringRule) certificate: CertificateExpiringRule,
    @Inject(TaskFailureRules) tasks: TaskFailureRules,
    @Inject(RolloutHaltedRule) rollout: RolloutHaltedRule,
    @Inject(NodeUnreachableRule) unreachable: NodeUnreachableRule,
  ) {
    this.evaluations = {
      'certificate-expiring': certificate,
      'renewal-failed': tasks.renewal,
      'scheduled-task-failed': tasks.scheduled,
      'rollout-halted': rollout,
      'node-unreachable': unreachable,
    };
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), EVALUATE_EVERY_MS);
    void this.tick();
  }

  /** One pass unless one is still running; never throws (it runs from a timer). */
  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.pass();
    try {
      await this.running;
    } finally {
      this.running = undefined;
    }
  }

  /** Every enabled rule, each on its own: one failing rule does not hold back the others. */
  async pass(): Promise<void> {
    let rules;
    try {
      rules = await this.rules.all();
    } catch (err) {
      this.failed('reading the alert rules', err);
      return;
    }
    for (const rule of rules.filter((r) => r.enabled)) {
      try {
        const now = this.clock.now();
        const { drafts, advance } = await this.evaluations[rule.rule].evaluate({ rule, rules, now });
        const raised = await this.raiser.raise(drafts, now, rule.channelIds);
        await advance();
        if (raised > 0) this.logger.log(`${rule.rule}: ${raised} alert${raised === 1 ? '' : 's'} raised`);
        this.failures = 0;
      } catch (err) {
        this.failed(`alert rule ${rule.rule}`, err);
      }
    }
  }

  private failed(what: string, err: unknown): void {
    if (this.failures++ % LOG_EVERY_FAILURES === 0) {
      this.logger.warn(
        `${what} failed: ${errorMessage(err)}${this.failures > 1 ? ` (${this.failures} failed passes in a row)` : ''}; tried again in ${EVALUATE_EVERY_MS / 1000} s`,
      );
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
