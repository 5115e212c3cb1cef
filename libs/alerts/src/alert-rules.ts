import { ALERT_RULE_NAMES } from '@pvefleet/contracts';

/** The alert rules pvefleet evaluates (named in the contracts); each has one row in `alert_rule` (its settings and cursor). */
export const ALERT_RULES = ALERT_RULE_NAMES;

export type AlertRuleName = (typeof ALERT_RULES)[number];

/** Days left under which a certificate alerts. */
export const DEFAULT_CERTIFICATE_DAYS = 14;
/** Minutes without a successful facts read after which an unreachable node alerts. */
export const DEFAULT_UNREACHABLE_MINUTES = 30;

export interface AlertRuleDefault {
  /** Days (certificate-expiring), minutes (node-unreachable); null: the rule has no threshold. */
  threshold: number | null;
  /** What the threshold counts, for the API's description. */
  unit: 'days' | 'minutes' | null;
  describe: string;
}

/**
 * Defaults written with each rule's row on first read. 14 days leaves two weeks to fix what the
 * daily renewal (30 days ahead) could not; 30 minutes rides out a reboot and a facts interval.
 */
export const ALERT_RULE_DEFAULTS: Record<AlertRuleName, AlertRuleDefault> = {
  'certificate-expiring': {
    threshold: DEFAULT_CERTIFICATE_DAYS,
    unit: 'days',
    describe: "A node's pveproxy certificate has fewer than N days left (once per node per day)",
  },
  'renewal-failed': { threshold: null, unit: null, describe: 'An acmerenew or acmenewcert task ended in error' },
  'scheduled-task-failed': { threshold: null, unit: null, describe: 'A task started by a schedule ended in error' },
  'rollout-halted': { threshold: null, unit: null, describe: 'A rollout halted (its failure budget or a pre-flight check stopped it)' },
  'node-unreachable': {
    threshold: DEFAULT_UNREACHABLE_MINUTES,
    unit: 'minutes',
    describe: 'A node whose facts cannot be read, with no successful read for longer than N minutes',
  },
};

/** Task types whose failure is a failed certificate renewal. */
export const RENEWAL_TASK_TYPES = ['acmerenew', 'acmenewcert'] as const;

export const isAlertRuleName = (v: string): v is AlertRuleName => (ALERT_RULES as readonly string[]).includes(v);
