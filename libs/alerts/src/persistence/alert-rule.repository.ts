import { Inject, Injectable } from '@nestjs/common';
import { Db } from '@pvefleet/db';
import { sql } from 'kysely';
import { ALERT_RULES, ALERT_RULE_DEFAULTS, type AlertRuleName } from '../alert-rules';

export interface StoredRule {
  rule: AlertRuleName;
  enabled: boolean;
  threshold: number | null;
  channelIds: number[];
  /** How far the evaluator has read its source, in Postgres time; null before its first pass. */
  cursorAt: Date | null;
  /** The Clock's date (YYYY-MM-DD) of the certificate rule's last full pass. */
  scannedDay: string | null;
}

export interface RuleSettings {
  enabled: boolean;
  threshold: number | null;
  channelIds: number[];
}

/** Every statement on `alert_rule`: settings from the API, cursors from the evaluators. */
@Injectable()
export class AlertRuleRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  /** Every rule in ALERT_RULES order, each row written with its defaults the first time it is read. */
  async all(): Promise<StoredRule[]> {
    await this.db
      .insertInto('alert_rule')
      .values(ALERT_RULES.map((rule) => ({ rule, threshold: ALERT_RULE_DEFAULTS[rule].threshold, updated_at: sql<Date>`now()` })))
      .onConflict((oc) => oc.column('rule').doNothing())
      .execute();
    const rows = await this.db
      .selectFrom('alert_rule')
      .selectAll()
      .where('rule', 'in', [...ALERT_RULES])
      .execute();
    const byRule = new Map(rows.map((r) => [r.rule, r]));
    return ALERT_RULES.map((rule) => {
      const r = byRule.get(rule);
      if (!r) throw new Error(`alert rule ${rule} has no row after it was written`);
      return {
        rule,
        enabled: r.enabled,
        threshold: r.threshold,
        channelIds: r.channel_ids,
        cursorAt: r.cursor_at,
        scannedDay: r.scanned_day,
      };
    });
  }

  async update(rule: AlertRuleName, s: RuleSettings): Promise<void> {
    await this.all();
    await this.db
      .updateTable('alert_rule')
      .set({ enabled: s.enabled, threshold: s.threshold, channel_ids: s.channelIds, updated_at: sql<Date>`now()` })
      .where('rule', '=', rule)
      .execute();
  }

  /** Moves the cursor forward only (two evaluators may pass the same rows; the later position stays). */
  async advanceCursor(rule: AlertRuleName, to: Date): Promise<void> {
    await this.db
      .updateTable('alert_rule')
      .set({ cursor_at: sql<Date>`greatest(coalesce(cursor_at, ${to}), ${to})` })
      .where('rule', '=', rule)
      .execute();
  }

  async markScanned(rule: AlertRuleName, day: string): Promise<void> {
    await this.db.updateTable('alert_rule').set({ scanned_day: day }).where('rule', '=', rule).execute();
  }
}
