import { nodeName } from '@pvefleet/jobs';
import { z } from 'zod';
import { authErrors, bodyErrors, errors, isoTime, nullableTime, page, pagingQuery } from './common';
import { endpoint } from './endpoint';
import { nodeSelectorSchema } from './nodes.contract';

/** A count (`3`) or a percentage of the nodes it applies to (`"25%"`). */
export const countOrPercent = z.union([
  z.number().int().min(0).max(100_000),
  z.string().regex(/^(100|[1-9]?[0-9])%$/, 'must be a count or a percentage such as "25%"'),
]);
export type CountOrPercent = z.infer<typeof countOrPercent>;

const seconds = (fallback: number, max = 86_400) => z.number().int().min(1).max(max).default(fallback);

export const rolloutRequestSchema = z.strictObject({
  selector: nodeSelectorSchema,
  /** The per-node job: the package upgrade, with its reboot policy (aptupgrade's params). */
  job: z
    .strictObject({
      type: z.literal('aptupgrade').default('aptupgrade'),
      params: z
        .record(z.string(), z.unknown())
        // The rollout evacuates clustered nodes itself; a node's upgrade step only ever refuses (or, for
        // standalone nodes that cannot evacuate, shuts guests down): it never reboots with a guest running.
        .refine((p) => p.guests === undefined || p.guests === 'refuse' || p.guests === 'shutdown', {
          error: "a rollout moves guests away itself: guests may only be 'refuse' (the default) or 'shutdown' (for standalone nodes)",
          path: ['guests'],
        })
        .default({}),
    })
    .default({ type: 'aptupgrade', params: {} }),
  /** Nodes in flight at once across the whole rollout (default: one per cluster, one standalone node). */
  batchSize: countOrPercent.optional(),
  /** Nodes of one cluster in flight at once; never more than keep the cluster quorate. */
  perCluster: z.number().int().min(1).max(64).default(1),
  order: z
    .union([z.literal('name'), z.strictObject({ label: z.string().min(1).max(63) }), z.strictObject({ nodes: z.array(nodeName).min(1) })])
    .default('name'),
  /** Ansible's max_fail_percentage semantics: the rollout (or the cluster) halts once failures exceed this. */
  maxFailures: z
    .strictObject({ perCluster: countOrPercent.default(0), total: countOrPercent.default(0) })
    .default({ perCluster: 0, total: 0 }),
  pauseSeconds: z.number().int().min(0).max(86_400).default(0),
  /** Wait for POST /rollouts/{id}/approve after the first batch (the canary). */
  approveAfterFirstBatch: z.boolean().default(false),
  /** This cluster goes first, alone, and must finish before the others start. */
  canaryCluster: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be a cluster name')
    .optional(),
  /** Accepted for older requests; the evacuation migrates one guest after another, each placed on fresh data. */
  migrate: z.strictObject({ maxWorkers: z.number().int().min(1).max(64).default(1) }).default({ maxWorkers: 1 }),
  /** Once a node is back, healthy and out of maintenance, migrate the guests its evacuation moved away back to it. */
  returnGuests: z.boolean().default(true),
  /** PVE 8 → 9: pve8to9 must report no failures on every node; repositories switch to trixie first. */
  majorUpgrade: z.boolean().default(false),
  timeouts: z
    .strictObject({
      preflight: seconds(300),
      maintenance: seconds(600),
      migrate: seconds(1_800),
      reboot: seconds(900, 3_600),
      health: seconds(900),
    })
    .default({ preflight: 300, maintenance: 600, migrate: 1_800, reboot: 900, health: 900 }),
  dryRun: z.boolean().default(false),
});
export type RolloutRequest = z.infer<typeof rolloutRequestSchema>;

export const ROLLOUT_STATUSES = [
  'pending',
  'running',
  'paused',
  'awaiting_approval',
  'halting',
  'aborting',
  'completed',
  'halted',
  'aborted',
  'failed',
] as const;

export const listRolloutsQuery = z.strictObject({ status: z.enum(ROLLOUT_STATUSES).optional(), ...pagingQuery });
export type ListRolloutsQuery = z.infer<typeof listRolloutsQuery>;

export const rolloutEventsQuery = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(10_000).default(1_000),
});

export const abortRolloutSchema = z.strictObject({
  /** Leave HA maintenance (and unset noout this rollout set) as each node stops; default: only nodes not yet upgraded do. */
  leaveMaintenance: z.boolean().optional(),
});

export const rolloutIdParams = z.strictObject({ id: z.coerce.number().int().min(1).max(2_147_483_647) });
export const rolloutNodeParams = rolloutIdParams.extend({ node: nodeName });

export const rolloutSummarySchema = z
  .strictObject({
    id: z.number().int(),
    status: z.enum(ROLLOUT_STATUSES),
    reason: z.string().nullable(),
    user: z.string(),
    createdAt: isoTime,
    startedAt: nullableTime,
    endedAt: nullableTime,
  })
  .meta({ id: 'RolloutSummary' });

const NODE_STATES = ['pending', 'running', 'done', 'skipped', 'not_started', 'failed', 'aborted'] as const;

export const rolloutNodeSchema = z
  .strictObject({
    node: z.string(),
    cluster: z.string().nullable(),
    batch: z.number().int(),
    position: z.number().int(),
    state: z.enum(NODE_STATES),
    step: z.string().nullable(),
    task: z.string().nullable(),
    detail: z.string().nullable(),
    /** Every step's task: `{ step, upid, exitstatus? }`. */
    tasks: z.array(z.object({ step: z.string(), upid: z.string() })),
    /** Where each guest its evacuation moved went, and whether it is back. */
    guests: z.array(z.unknown()),
    retries: z.number().int(),
    release: z.unknown().nullable(),
    startedAt: nullableTime,
    endedAt: nullableTime,
  })
  .meta({ id: 'RolloutNode' });

export const rolloutDetailSchema = rolloutSummarySchema
  .extend({
    spec: z.unknown(),
    batch: z.strictObject({ current: z.number().int(), total: z.number().int(), nextAt: nullableTime }),
    batches: z.array(z.array(z.string())),
    progress: z.strictObject({
      total: z.number().int(),
      done: z.number().int(),
      skipped: z.number().int(),
      notStarted: z.number().int(),
      failed: z.number().int(),
      running: z.number().int(),
      pending: z.number().int(),
      aborted: z.number().int(),
    }),
    nodes: z.array(rolloutNodeSchema),
  })
  .meta({ id: 'Rollout' });

/** The dry run: the batches as planned and, per node, every step's task with its exact commands. */
export const rolloutDryRunSchema = z.looseObject({
  dryRun: z.literal(true),
  batches: z.array(z.array(z.string())),
  nodes: z.array(
    z.strictObject({
      node: z.string(),
      cluster: z.string().nullable(),
      steps: z.array(z.strictObject({ step: z.string(), type: z.string(), params: z.record(z.string(), z.unknown()), plan: z.unknown() })),
    }),
  ),
});

export const rolloutEventSchema = z
  .strictObject({
    id: z.number().int(),
    at: isoTime,
    level: z.string(),
    node: z.string().nullable(),
    message: z.string(),
  })
  .meta({ id: 'RolloutEvent' });

const detail = (description: string) => ({ description, schema: rolloutDetailSchema });
const steering = { 400: errors[400], 404: errors[404], 409: errors[409], ...authErrors };

export const rolloutEndpoints = [
  endpoint({
    method: 'post',
    path: '/rollouts',
    operationId: 'createRollout',
    summary: 'Start a rolling upgrade (201), or with dryRun see its batches and every command per node (200)',
    tag: 'rollouts',
    body: rolloutRequestSchema,
    responses: {
      200: { description: 'dryRun: the plan, nothing started', schema: rolloutDryRunSchema },
      201: detail('Created'),
      ...bodyErrors,
      409: errors[409],
      ...authErrors,
    },
  }),
  endpoint({
    method: 'get',
    path: '/rollouts',
    operationId: 'listRollouts',
    summary: 'Rollouts, newest first',
    tag: 'rollouts',
    query: listRolloutsQuery,
    responses: { 200: { description: 'A page of rollouts', schema: page(rolloutSummarySchema) }, 400: errors[400], ...authErrors },
  }),
  endpoint({
    method: 'get',
    path: '/rollouts/{id}',
    operationId: 'getRollout',
    summary: 'A rollout with every node: its step, state and task UPIDs',
    tag: 'rollouts',
    params: rolloutIdParams,
    responses: { 200: detail('The rollout'), 400: errors[400], 404: errors[404], ...authErrors },
  }),
  endpoint({
    method: 'get',
    path: '/rollouts/{id}/events',
    operationId: 'listRolloutEvents',
    summary: "The rollout's log of decisions (why it waited, why it halted), oldest first",
    tag: 'rollouts',
    params: rolloutIdParams,
    query: rolloutEventsQuery,
    responses: {
      200: { description: 'Events after `after`', schema: z.array(rolloutEventSchema) },
      400: errors[400],
      404: errors[404],
      ...authErrors,
    },
  }),
  endpoint({
    method: 'get',
    path: '/rollouts/{id}/events/stream',
    operationId: 'streamRolloutEvents',
    summary: 'Progress as Server-Sent Events (e.g. "[3/20] pve3: evacuating to pve4"); ends when the rollout ends',
    description:
      "Each event's id is the rollout event's id: a client reconnecting with `Last-Event-ID` resumes after it. Ends with `event: end` and `{status, reason}`.",
    tag: 'rollouts',
    params: rolloutIdParams,
    headers: { 'Last-Event-ID': 'Resume after this event id' },
    responses: {
      200: { description: 'The event stream', contentType: 'text/event-stream' },
      400: errors[400],
      404: errors[404],
      ...authErrors,
    },
  }),
  endpoint({
    method: 'post',
    path: '/rollouts/{id}/pause',
    operationId: 'pauseRollout',
    summary: 'Finish the steps running now, start nothing new',
    tag: 'rollouts',
    params: rolloutIdParams,
    responses: { 200: detail('Paused'), ...steering },
  }),
  endpoint({
    method: 'post',
    path: '/rollouts/{id}/resume',
    operationId: 'resumeRollout',
    summary: 'Go on after a pause',
    tag: 'rollouts',
    params: rolloutIdParams,
    responses: { 200: detail('Running again'), ...steering },
  }),
  endpoint({
    method: 'post',
    path: '/rollouts/{id}/approve',
    operationId: 'approveRollout',
    summary: 'Let a rollout waiting after its first (canary) batch go on',
    tag: 'rollouts',
    params: rolloutIdParams,
    responses: { 200: detail('Approved: the next batch starts'), ...steering },
  }),
  endpoint({
    method: 'post',
    path: '/rollouts/{id}/abort',
    operationId: 'abortRollout',
    summary:
      'Stop scheduling; every node stops after its current step (leaving HA maintenance unless upgraded, or as leaveMaintenance says)',
    tag: 'rollouts',
    params: rolloutIdParams,
    body: abortRolloutSchema,
    bodyOptional: true,
    responses: { 200: detail('Aborting'), ...bodyErrors, ...steering },
  }),
  endpoint({
    method: 'post',
    path: '/rollouts/{id}/nodes/{node}/release',
    operationId: 'releaseRolloutNode',
    summary: 'After a rollout stopped: check a node it left in maintenance is healthy, then unset noout and leave HA maintenance (tasks)',
    tag: 'rollouts',
    params: rolloutNodeParams,
    responses: { 202: detail('Release started'), ...steering },
  }),
] as const;
