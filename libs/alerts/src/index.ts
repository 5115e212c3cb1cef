// Alerts: channels (webhook, email), rules evaluated in the workers, alerts and their deliveries.
export * from './alert-messages';
export * from './alert-rules';
export * from './alerts.module';
export * from './api/alert-channels.service';
export * from './api/alert-rules.service';
export * from './api/alert-views';
export * from './dedupe-keys';
export * from './persistence/alert.repository';
export * from './retry-backoff';
export * from './webhook-signature';
