import type { AlertDraft } from '../alert-messages';
import type { AlertRuleName } from '../alert-rules';
import type { AlertRuleRepository, StoredRule } from '../persistence/alert-rule.repository';
import type { AlertSourcesRepository } from '../persistence/alert-sources.repository';

export interface EvaluationContext {
  rule: StoredRule;
  /** Every rule's settings (a rule may defer to another: scheduled renewals go to renewal-failed). */
  rules: readonly StoredRule[];
  /** The Clock's time: every calendar decision (days left, minutes unreachable, the day's key) reads it. */
  now: Date;
}

export interface Evaluation {
  /** New alerts only: drafts whose dedupe key was raised already are left out. */
  drafts: AlertDraft[];
  /** Moves the rule's cursor; called only once the drafts are raised, so a crash between reads them again. */
  readonly advance: () => Promise<void>;
}

/** One rule: reads its source from its cursor and drafts the alerts it finds. */
export interface RuleEvaluation {
  readonly rule: AlertRuleName;
  evaluate(ctx: EvaluationContext): Promise<Evaluation>;
}

/** Rows that ended up to this long before a cursor are read again: a transaction that committed late is not skipped (the dedupe key makes the re-read harmless). */
export const CURSOR_OVERLAP_MS = 30_000;

export const behind = (cursor: Date): Date => new Date(cursor.getTime() - CURSOR_OVERLAP_MS);

/** A cursor rule's first pass: start from Postgres' now; what ended before pvefleet watched is history, not news. */
export async function startCursor(sources: AlertSourcesRepository, rules: AlertRuleRepository, rule: AlertRuleName): Promise<Evaluation> {
  const start = await sources.databaseNow();
  return { drafts: [], advance: () => rules.advanceCursor(rule, start) };
}
