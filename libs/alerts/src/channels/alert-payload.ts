import type { AlertRuleName } from '../alert-rules';

/** What a channel sends: the webhook's JSON body, and the email's subject and text. */
export interface AlertPayload {
  /** `alert`, or `test` for POST /alert-channels/{id}/test. */
  event: 'alert' | 'test';
  alert: {
    id: number | null;
    rule: AlertRuleName | null;
    node: string | null;
    taskUpid: string | null;
    rolloutId: number | null;
    title: string;
    text: string;
    createdAt: string;
  };
}

export function testPayload(channelName: string, now: Date): AlertPayload {
  return {
    event: 'test',
    alert: {
      id: null,
      rule: null,
      node: null,
      taskUpid: null,
      rolloutId: null,
      title: `pvefleet test alert for channel ${channelName}`,
      text: `A test send through the alert channel '${channelName}'. Nothing happened on any node; no action is needed.`,
      createdAt: now.toISOString(),
    },
  };
}

/** The email's text: the alert's own text and who it is about. */
export function emailText(p: AlertPayload): string {
  const a = p.alert;
  const about = [
    a.node && `Node: ${a.node}`,
    a.taskUpid && `Task: ${a.taskUpid}`,
    a.rolloutId !== null && `Rollout: ${a.rolloutId}`,
  ].filter(Boolean);
  return [a.text, '', ...about, a.rule ? `Rule: ${a.rule}` : 'Rule: (test send)', `Raised: ${a.createdAt}`, ''].join('\n');
}
