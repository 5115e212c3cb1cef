import { hostAddress, nodeName, tcpPort } from '@pvefleet/jobs';
import { z } from 'zod';
import { authErrors, bodyErrors, errors, int, isoTime, nullableTime, page, pagingQuery } from './common';
import { endpoint } from './endpoint';

/** The alert rules (libs/alerts evaluates them and takes this list from here). */
export const ALERT_RULE_NAMES = [
  'certificate-expiring',
  'renewal-failed',
  'scheduled-task-failed',
  'rollout-halted',
  'node-unreachable',
] as const;
export const alertRuleName = z.enum(ALERT_RULE_NAMES);

const channelName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 characters of [A-Za-z0-9_.-], starting with a letter or digit');
const email = z.email('must be an email address').max(254, 'must be at most 254 characters');
const webhookUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .max(2_000, 'must be at most 2000 characters');
const hmacSecret = z.string().min(16, 'must be at least 16 characters').max(256, 'must be at most 256 characters');
const smtpUser = z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters');
const smtpPassword = z.string().min(1, 'must not be empty').max(1_024, 'must be at most 1024 characters');

/** `starttls`: plain connection upgraded (required); `tls`: TLS from the first byte (port 465); `none`: never TLS (a relay on loopback). */
export const SMTP_SECURITY = ['starttls', 'tls', 'none'] as const;

const webhookFields = { url: webhookUrl };
const emailFields = {
  host: hostAddress,
  port: tcpPort.default(587),
  security: z.enum(SMTP_SECURITY).default('starttls'),
  user: smtpUser.optional(),
  from: email,
  to: z.array(email).min(1, 'must name at least one recipient').max(50, 'must name at most 50 recipients'),
};
const common = { name: channelName, enabled: z.boolean().default(true) };

/** A channel as created: the secret (webhook HMAC key, SMTP password) is sealed at rest and never shown again. */
export const createAlertChannelSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ ...common, type: z.literal('webhook'), ...webhookFields, secret: hmacSecret }),
    z.strictObject({ ...common, type: z.literal('email'), ...emailFields, password: smtpPassword.optional() }),
  ],
  { error: 'must be {"type":"webhook",…} or {"type":"email",…}' },
);
export type CreateAlertChannel = z.infer<typeof createAlertChannelSchema>;

/** PUT replaces the channel; a secret left out keeps the stored one (the type may not change). */
export const updateAlertChannelSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ ...common, type: z.literal('webhook'), ...webhookFields, secret: hmacSecret.optional() }),
    z.strictObject({
      ...common,
      type: z.literal('email'),
      ...emailFields,
      /** null removes the stored password. */
      password: smtpPassword.nullable().optional(),
    }),
  ],
  { error: 'must be {"type":"webhook",…} or {"type":"email",…}' },
);
export type UpdateAlertChannel = z.infer<typeof updateAlertChannelSchema>;

const id32 = z.coerce.number().int().min(1).max(2_147_483_647);
export const alertChannelIdParams = z.strictObject({ id: id32 });
export const listAlertChannelsQuery = z.strictObject({ ...pagingQuery });
export const listDeliveriesQuery = z.strictObject({ ...pagingQuery, status: z.enum(['pending', 'delivered', 'failed']).optional() });
export const listAlertsQuery = z.strictObject({
  ...pagingQuery,
  rule: alertRuleName.optional(),
  node: nodeName.optional(),
  /** Alerts raised at or after this time. */
  since: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional(),
});
export const alertRuleParams = z.strictObject({ rule: alertRuleName });
export const listAlertRulesQuery = z.strictObject({ ...pagingQuery });

const channelViewCommon = {
  id: z.number().int(),
  name: z.string(),
  enabled: z.boolean(),
  /** Whether a secret (HMAC key, SMTP password) is stored; the secret itself is never returned. */
  hasSecret: z.boolean(),
  createdAt: isoTime,
  updatedAt: isoTime,
};
export const alertChannelViewSchema = z
  .discriminatedUnion('type', [
    z.strictObject({ ...channelViewCommon, type: z.literal('webhook'), url: z.string() }),
    z.strictObject({
      ...channelViewCommon,
      type: z.literal('email'),
      host: z.string(),
      port: z.number().int(),
      security: z.enum(SMTP_SECURITY),
      user: z.string().nullable(),
      from: z.string(),
      to: z.array(z.string()),
    }),
  ])
  .meta({ id: 'AlertChannel' });
export type AlertChannelView = z.infer<typeof alertChannelViewSchema>;

/** What one send did: delivered, or the error with its class (`retryable` would be tried again, `permanent` not). */
export const deliveryOutcomeSchema = z
  .strictObject({
    delivered: z.boolean(),
    /** The webhook's HTTP status, or null (email, or no answer). */
    httpStatus: z.number().int().nullable(),
    error: z.string().nullable(),
    errorClass: z.string().nullable(),
  })
  .meta({ id: 'AlertDeliveryOutcome' });
export type DeliveryOutcome = z.infer<typeof deliveryOutcomeSchema>;

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

export const alertDeliveryViewSchema = z
  .strictObject({
    id: z.number().int(),
    alertId: z.number().int(),
    channelId: z.number().int(),
    channel: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    httpStatus: z.number().int().nullable(),
    /** When the next try is due (pending after a failed try). */
    nextAttemptAt: nullableTime,
    deliveredAt: nullableTime,
    createdAt: isoTime,
  })
  .meta({ id: 'AlertDelivery' });
export type AlertDeliveryView = z.infer<typeof alertDeliveryViewSchema>;

export const alertViewSchema = z
  .strictObject({
    id: z.number().int(),
    rule: alertRuleName,
    /** What makes this alert one occurrence: an alert with the same key is never raised twice. */
    dedupeKey: z.string(),
    node: z.string().nullable(),
    taskUpid: z.string().nullable(),
    rolloutId: z.number().int().nullable(),
    title: z.string(),
    /** What happened and what to do next. */
    text: z.string(),
    createdAt: isoTime,
    deliveries: z.array(alertDeliveryViewSchema),
  })
  .meta({ id: 'Alert' });
export type AlertView = z.infer<typeof alertViewSchema>;

export const alertRuleViewSchema = z
  .strictObject({
    rule: alertRuleName,
    description: z.string(),
    enabled: z.boolean(),
    /** Days or minutes (see `unit`); null for rules without a threshold. */
    threshold: z.number().int().nullable(),
    unit: z.enum(['days', 'minutes']).nullable(),
    /** The channels it sends to; empty: every enabled channel. */
    channels: z.array(z.number().int()),
  })
  .meta({ id: 'AlertRule' });
export type AlertRuleView = z.infer<typeof alertRuleViewSchema>;

export const updateAlertRuleSchema = z.strictObject({
  enabled: z.boolean(),
  /** Required for rules with a unit (1-365 days, 1-10080 minutes), refused for the others. */
  threshold: int(1, 10_080).nullable().optional(),
  channels: z.array(z.number().int().min(1)).max(50).default([]),
});
export type UpdateAlertRule = z.infer<typeof updateAlertRuleSchema>;

const notFound = { 404: errors[404] };

export const alertEndpoints = [
  endpoint({
    method: 'post',
    path: '/alert-channels',
    operationId: 'createAlertChannel',
    summary: 'Add an alert channel: a webhook (signed with HMAC-SHA256) or an email (SMTP)',
    description: 'The secret (HMAC key, SMTP password) is encrypted at rest and never returned: answers say `hasSecret`.',
    tag: 'alerts',
    body: createAlertChannelSchema,
    responses: { 201: { description: 'Created', schema: alertChannelViewSchema }, ...bodyErrors, 409: errors[409], ...authErrors },
  }),
  endpoint({
    method: 'get',
    path: '/alert-channels',
    operationId: 'listAlertChannels',
    summary: 'Alert channels by name',
    tag: 'alerts',
    query: listAlertChannelsQuery,
    responses: { 200: { description: 'A page of channels', schema: page(alertChannelViewSchema) }, 400: errors[400], ...authErrors },
  }),
  endpoint({
    method: 'get',
    path: '/alert-channels/{id}',
    operationId: 'getAlertChannel',
    summary: 'One alert channel (without its secret)',
    tag: 'alerts',
    params: alertChannelIdParams,
    responses: { 200: { description: 'The channel', schema: alertChannelViewSchema }, 400: errors[400], ...notFound, ...authErrors },
  }),
  endpoint({
    method: 'put',
    path: '/alert-channels/{id}',
    operationId: 'updateAlertChannel',
    summary: 'Replace an alert channel; a secret left out is kept',
    tag: 'alerts',
    params: alertChannelIdParams,
    body: updateAlertChannelSchema,
    responses: {
      200: { description: 'The channel as saved', schema: alertChannelViewSchema },
      ...bodyErrors,
      ...notFound,
      409: errors[409],
      ...authErrors,
    },
  }),
  endpoint({
    method: 'delete',
    path: '/alert-channels/{id}',
    operationId: 'deleteAlertChannel',
    summary: 'Delete an alert channel and its delivery log',
    tag: 'alerts',
    params: alertChannelIdParams,
    responses: { 204: { description: 'Deleted' }, 400: errors[400], ...notFound, ...authErrors },
  }),
  endpoint({
    method: 'post',
    path: '/alert-channels/{id}/test',
    operationId: 'testAlertChannel',
    summary: 'Send a test alert through the channel now, and answer with what happened',
    description: 'One try, no retry, nothing stored: the answer says whether it was delivered, or the error and its class.',
    tag: 'alerts',
    params: alertChannelIdParams,
    responses: { 200: { description: 'The outcome', schema: deliveryOutcomeSchema }, 400: errors[400], ...notFound, ...authErrors },
  }),
  endpoint({
    method: 'get',
    path: '/alert-channels/{id}/deliveries',
    operationId: 'listAlertChannelDeliveries',
    summary: "A channel's delivery log, newest first: status, tries, last error, HTTP status, next try",
    tag: 'alerts',
    params: alertChannelIdParams,
    query: listDeliveriesQuery,
    responses: {
      200: { description: 'A page of deliveries', schema: page(alertDeliveryViewSchema) },
      400: errors[400],
      ...notFound,
      ...authErrors,
    },
  }),
  endpoint({
    method: 'get',
    path: '/alerts',
    operationId: 'listAlerts',
    summary: 'Alerts raised, newest first, with their deliveries',
    tag: 'alerts',
    query: listAlertsQuery,
    responses: { 200: { description: 'A page of alerts', schema: page(alertViewSchema) }, 400: errors[400], ...authErrors },
  }),
  endpoint({
    method: 'get',
    path: '/alert-rules',
    operationId: 'listAlertRules',
    summary: 'The alert rules with their settings',
    tag: 'alerts',
    query: listAlertRulesQuery,
    responses: { 200: { description: 'A page of rules', schema: page(alertRuleViewSchema) }, 400: errors[400], ...authErrors },
  }),
  endpoint({
    method: 'put',
    path: '/alert-rules/{rule}',
    operationId: 'updateAlertRule',
    summary: 'Set a rule: enabled, its threshold (days or minutes), its channels (empty: all)',
    tag: 'alerts',
    params: alertRuleParams,
    body: updateAlertRuleSchema,
    responses: { 200: { description: 'The rule as saved', schema: alertRuleViewSchema }, ...bodyErrors, ...authErrors },
  }),
];
