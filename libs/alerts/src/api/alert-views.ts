import type { AlertChannelView, AlertDeliveryView, AlertRuleView, AlertView } from '@pvefleet/contracts';
import { ALERT_RULE_DEFAULTS } from '../alert-rules';
import type { StoredChannel } from '../channels/channel-settings';
import type { StoredAlert, StoredDelivery } from '../persistence/alert.repository';
import type { StoredRule } from '../persistence/alert-rule.repository';

/** A channel as the API shows it: its settings and whether a secret is stored, never the secret. */
export function toChannelView(c: StoredChannel): AlertChannelView {
  const common = {
    id: c.id,
    name: c.name,
    enabled: c.enabled,
    hasSecret: c.sealedSecret !== null,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
  const s = c.settings;
  return s.type === 'webhook'
    ? { ...common, type: 'webhook', url: s.url }
    : { ...common, type: 'email', host: s.host, port: s.port, security: s.security, user: s.user, from: s.from, to: s.to };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toDeliveryView(d: StoredDelivery): AlertDeliveryView {
  return {
    id: d.id,
    alertId: d.alertId,
    channelId: d.channelId,
    channel: d.channel,
    status: d.status,
    attempts: d.attempts,
    lastError: d.lastError,
    httpStatus: d.httpStatus,
    nextAttemptAt: iso(d.nextAttemptAt),
    deliveredAt: iso(d.deliveredAt),
    createdAt: d.createdAt.toISOString(),
  };
}

export function toAlertView(a: StoredAlert, deliveries: StoredDelivery[]): AlertView {
  return { ...a, createdAt: a.createdAt.toISOString(), deliveries: deliveries.map(toDeliveryView) };
}

export function toRuleView(r: StoredRule): AlertRuleView {
  const d = ALERT_RULE_DEFAULTS[r.rule];
  return { rule: r.rule, description: d.describe, enabled: r.enabled, threshold: r.threshold, unit: d.unit, channels: r.channelIds };
}
