import type { AlertRuleName } from './alert-rules';

/**
 * The unique key of each alert: whatever any number of evaluators find, an alert with a key that
 * exists is not raised again. Per rule, the key names what makes one occurrence.
 */
export const dedupeKeys = {
  /** Once per node per calendar day (UTC, the Clock's date): a reminder a day, not one per evaluation. */
  certificateExpiring: (node: string, clockNow: Date): string => key('certificate-expiring', node, utcDay(clockNow)),
  /** Once per failed task. */
  taskFailed: (rule: Extract<AlertRuleName, 'renewal-failed' | 'scheduled-task-failed'>, upid: string): string => key(rule, upid),
  /** Once per halted rollout. */
  rolloutHalted: (rolloutId: number): string => key('rollout-halted', String(rolloutId)),
  /**
   * Once per outage: an outage is identified by the last successful facts read before it (a new
   * successful read ends it, and the next outage has another), or the node's creation if it never had one.
   */
  nodeUnreachable: (node: string, lastSuccessAt: Date | null, createdAt: Date): string =>
    key('node-unreachable', node, lastSuccessAt ? lastSuccessAt.toISOString() : `never-since-${createdAt.toISOString()}`),
};

/** YYYY-MM-DD in UTC. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

const key = (...parts: string[]): string => parts.join(':');
