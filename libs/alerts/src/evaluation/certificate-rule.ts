import { Inject, Injectable } from '@nestjs/common';
import { certificateExpiringMessage } from '../alert-messages';
import { DEFAULT_CERTIFICATE_DAYS, RENEWAL_TASK_TYPES } from '../alert-rules';
import { dedupeKeys, utcDay } from '../dedupe-keys';
import { AlertRuleRepository } from '../persistence/alert-rule.repository';
import { AlertSourcesRepository } from '../persistence/alert-sources.repository';
import { NewOnly } from './new-only';
import { behind, type Evaluation, type EvaluationContext, type RuleEvaluation } from './rule-evaluation';

const DAY_MS = 86_400_000;

/**
 * Certificates (from the nodes' facts) with fewer than N days left, once per node per Clock day. The
 * whole fleet is read once a day (the first pass on a new Clock date); in between, only nodes whose
 * facts were stored since the cursor (a node added, a certificate seen for the first time), so the
 * loop does not read every node's facts every few seconds.
 */
@Injectable()
export class CertificateExpiringRule implements RuleEvaluation {
  readonly rule = 'certificate-expiring';

  constructor(
    @Inject(AlertSourcesRepository) private readonly sources: AlertSourcesRepository,
    @Inject(AlertRuleRepository) private readonly rules: AlertRuleRepository,
    @Inject(NewOnly) private readonly newOnly: NewOnly,
  ) {}

  async evaluate(ctx: EvaluationContext): Promise<Evaluation> {
    const days = ctx.rule.threshold ?? DEFAULT_CERTIFICATE_DAYS;
    const day = utcDay(ctx.now);
    const fullPass = ctx.rule.scannedDay !== day;
    const cursor = ctx.rule.cursorAt;
    const { rows, reachedAt } = await this.sources.expiringCertificates(
      new Date(ctx.now.getTime() + days * DAY_MS),
      fullPass || cursor === null ? null : behind(cursor),
    );
    const fresh = await this.newOnly.filter(rows, (c) => dedupeKeys.certificateExpiring(c.node, ctx.now));
    const renewals = await this.sources.latestTasks(
      fresh.map((f) => f.item.node),
      RENEWAL_TASK_TYPES,
      false,
    );
    return {
      drafts: fresh.map(({ item: c, key }) => {
        const upid = renewals.get(c.node) ?? null;
        return {
          rule: this.rule,
          dedupeKey: key,
          node: c.node,
          taskUpid: upid,
          rolloutId: null,
          ...certificateExpiringMessage({ ...c, lastRenewalUpid: upid }, ctx.now),
        };
      }),
      advance: async () => {
        // A fleet with no facts yet still gets a cursor, so the next passes are not whole-fleet reads.
        const to = reachedAt ?? (cursor === null ? await this.sources.databaseNow() : null);
        if (to) await this.rules.advanceCursor(this.rule, to);
        if (fullPass) await this.rules.markScanned(this.rule, day);
      },
    };
  }
}
