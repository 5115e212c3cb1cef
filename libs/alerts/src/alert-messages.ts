import type { AlertRuleName } from './alert-rules';

/** An alert as raised: who it is about, and what happened and what to do next, for a person. */
export interface AlertDraft {
  rule: AlertRuleName;
  dedupeKey: string;
  node: string | null;
  taskUpid: string | null;
  rolloutId: number | null;
  title: string;
  text: string;
}

export interface ExpiringCertificate {
  node: string;
  /** Unix seconds, as the facts hold it. */
  notAfter: number;
  /** The node's last acmerenew/acmenewcert task, if any. */
  lastRenewalUpid: string | null;
}

export interface FailedTask {
  node: string;
  upid: string;
  type: string;
  exitstatus: string;
  errorClass: string | null;
}

export interface HaltedRollout {
  id: number;
  reason: string | null;
  /** Nodes whose step failed, and the last failed task among them. */
  failedNodes: string[];
  lastFailedUpid: string | null;
}

export interface UnreachableNode {
  node: string;
  error: string;
  lastSuccessAt: Date | null;
  /** The last facts task that failed, if any. */
  lastFactsUpid: string | null;
}

const DAY_MS = 86_400_000;

/** Whole days left (rounded down; negative once expired). */
export const daysLeft = (notAfterSeconds: number, now: Date): number => Math.floor((notAfterSeconds * 1000 - now.getTime()) / DAY_MS);

export function certificateExpiringMessage(c: ExpiringCertificate, now: Date): Pick<AlertDraft, 'title' | 'text'> {
  const left = daysLeft(c.notAfter, now);
  const expiry = new Date(c.notAfter * 1000).toISOString();
  const when = left < 0 ? `expired on ${expiry}` : `expires in ${left} day${left === 1 ? '' : 's'} (${expiry})`;
  const last = c.lastRenewalUpid ? ` The last renewal task was ${c.lastRenewalUpid}: read its log for why it did not renew.` : '';
  return {
    title: `${c.node}: certificate ${left < 0 ? 'expired' : `expires in ${left} day${left === 1 ? '' : 's'}`}`,
    text:
      `The certificate pveproxy serves on ${c.node} ${when}.${last} ` +
      `Next: run acmerenew on ${c.node} (POST /nodes/${c.node}/tasks {"type":"acmerenew"}) and check the ACME account, ` +
      'the domains and the DNS/HTTP challenge if it fails.',
  };
}

export function taskFailedMessage(rule: 'renewal-failed' | 'scheduled-task-failed', t: FailedTask): Pick<AlertDraft, 'title' | 'text'> {
  const what = rule === 'renewal-failed' ? 'certificate renewal' : `scheduled ${t.type} task`;
  const next =
    rule === 'renewal-failed'
      ? `Next: read the task's log (GET /tasks/${t.upid}/log), fix what the CA refused (account, domains, challenge, rate limit), then run ${t.type} on ${t.node} again.`
      : `Next: read the task's log (GET /tasks/${t.upid}/log), fix the cause on ${t.node}, and run it again or wait for the schedule's next run.`;
  return {
    title: `${t.node}: ${what} failed`,
    text: `The ${what} ${t.upid} on ${t.node} ended in error${t.errorClass ? ` (${t.errorClass})` : ''}: ${t.exitstatus}. ${next}`,
  };
}

export function rolloutHaltedMessage(r: HaltedRollout): Pick<AlertDraft, 'title' | 'text'> {
  const failed = r.failedNodes.length ? ` Failed nodes: ${r.failedNodes.join(', ')}.` : '';
  const task = r.lastFailedUpid ? ` Last failed task: ${r.lastFailedUpid}.` : '';
  return {
    title: `rollout ${r.id} halted`,
    text:
      `Rollout ${r.id} halted${r.reason ? `: ${r.reason}` : ''}.${failed}${task} ` +
      `Next: read its events (GET /rollouts/${r.id}/events) and the failed tasks' logs, fix the nodes, ` +
      'release any node left in maintenance, and start a new rollout for the rest.',
  };
}

export function nodeUnreachableMessage(n: UnreachableNode, now: Date, thresholdMinutes: number): Pick<AlertDraft, 'title' | 'text'> {
  const since = n.lastSuccessAt
    ? `its facts were last read on ${n.lastSuccessAt.toISOString()} (${Math.floor((now.getTime() - n.lastSuccessAt.getTime()) / 60_000)} minutes ago)`
    : 'its facts were never read';
  const task = n.lastFactsUpid ? ` Last failed facts task: ${n.lastFactsUpid}.` : '';
  return {
    title: `${n.node}: unreachable for more than ${thresholdMinutes} minutes`,
    text:
      `pvefleet cannot read ${n.node}: ${n.error}; ${since}.${task} ` +
      `Next: check that ${n.node} is up and its SSH port reachable from the workers, its host key and credentials, then run facts on it (POST /nodes/${n.node}/tasks {"type":"facts"}).`,
  };
}
