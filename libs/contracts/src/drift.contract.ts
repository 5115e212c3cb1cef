import { DRIFT_STATUSES } from '@pvefleet/desired';
import { nodeName } from '@pvefleet/jobs';
import { z } from 'zod';
import { authErrors, bodyErrors, errors, isoTime, nullableTime, page, pagingQuery } from './common';
import { endpoint } from './endpoint';
import { nodeNameParams, nodeSelectorSchema } from './nodes.contract';

export const driftStatusSchema = z.enum(DRIFT_STATUSES);

const fieldKey = z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,63}$/, 'must be a desired-state field such as ntp');

const source = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('profile'), name: z.string(), revision: z.number().int() }),
  z.strictObject({ kind: z.literal('override'), revision: z.number().int() }),
]);

/** A catalog task that would converge a field, with the kind's dry run from the node's stored facts. */
const fixSchema = z.strictObject({
  type: z.string(),
  params: z.record(z.string(), z.unknown()),
  /** Devices the task destroys: POST /reconcile runs it only with a confirmation naming them. */
  destroys: z.array(z.string()).optional(),
  /** The kind's plan: the exact commands. */
  plan: z.unknown(),
});

export const fieldDriftSchema = z
  .strictObject({
    field: z.string(),
    /** `unknown` when the facts cannot tell: none yet, older than two refresh intervals, the node unreachable. */
    status: driftStatusSchema,
    mode: z.enum(['enforce', 'report']),
    source,
    desired: z.unknown(),
    /** What the node's last facts show for the field (null: nothing to show). */
    observed: z.unknown(),
    /** Why it drifts, or why it is unknown; null when compliant. */
    reason: z.string().nullable(),
    /** When the current status began. */
    since: isoTime,
    /** What a reconcile would run for a drifting field (empty otherwise). */
    fix: z.array(fixSchema),
  })
  .meta({ id: 'FieldDrift' });

export const nodeDriftSchema = z
  .strictObject({
    node: z.string(),
    cluster: z.string().nullable(),
    factsAt: nullableTime,
    /** The last facts collection that failed (every field is then unknown). */
    factsError: z.string().nullable(),
    fields: z.array(fieldDriftSchema),
  })
  .meta({ id: 'NodeDrift' });
export type NodeDriftBody = z.infer<typeof nodeDriftSchema>;

const counts = { compliant: z.number().int(), drift: z.number().int(), unknown: z.number().int() };

export const fleetDriftQuery = z.strictObject({
  /** The list of drifting nodes: only those drifting on this field, from this profile, in this cluster. */
  field: fieldKey.optional(),
  profile: z.string().min(1).max(128).optional(),
  cluster: z.string().min(1).max(128).optional(),
  ...pagingQuery,
});
export type FleetDriftQueryParams = z.infer<typeof fleetDriftQuery>;

export const fleetDriftSchema = z
  .strictObject({
    /** Nodes with desired state, each by its worst field (any drift, else any unknown, else compliant). */
    nodes: z.strictObject({ ...counts, total: z.number().int() }),
    /** Node counts per field. */
    fields: z.array(z.strictObject({ field: z.string(), ...counts })),
    /** Node-field counts per source of the desired value: a profile's name, or `override`. */
    profiles: z.array(z.strictObject({ profile: z.string(), ...counts })),
    /** Node counts per cluster (null: standalone nodes, or not read yet), each by its worst field. */
    clusters: z.array(z.strictObject({ cluster: z.string().nullable(), ...counts })),
    /** Nodes with at least one drifting field, by name. */
    drifting: page(z.strictObject({ node: z.string(), cluster: z.string().nullable(), fields: z.array(z.string()) })),
  })
  .meta({ id: 'FleetDrift' });
export type FleetDriftBody = z.infer<typeof fleetDriftSchema>;

export const reconcileRequestSchema = z.strictObject({
  selector: nodeSelectorSchema,
  /** Only these fields (every desired field when left out). */
  fields: z.array(fieldKey).min(1).max(64).optional(),
  /** List the nodes, fields and commands; run nothing. */
  dryRun: z.boolean().default(false),
  /** Destructive fixes run only when named here: the node and exactly the devices they destroy. */
  confirm: z
    .array(z.strictObject({ node: nodeName, devices: z.array(z.string().min(1).max(4096)).min(1).max(64) }))
    .max(10_000)
    .default([]),
});
export type ReconcileRequestBody = z.infer<typeof reconcileRequestSchema>;

const reconcileTaskSchema = z.strictObject({
  node: z.string(),
  field: z.string(),
  type: z.string(),
  params: z.record(z.string(), z.unknown()),
  destroys: z.array(z.string()).optional(),
  /** The task's UPID (null in a dry run). */
  upid: z.string().nullable(),
  plan: z.unknown(),
});

export const reconcileAnswerSchema = z
  .strictObject({
    /** Every task names it (`reconcileId` on the task); null in a dry run. */
    reconcileId: z.number().int().nullable(),
    dryRun: z.boolean(),
    tasks: z.array(reconcileTaskSchema),
    /** Drifting fields left alone, and why (report mode, already being fixed, fixed through another node of the cluster…). */
    skipped: z.array(z.strictObject({ node: z.string(), field: z.string(), reason: z.string() })),
  })
  .meta({ id: 'Reconcile' });
export type ReconcileAnswerBody = z.infer<typeof reconcileAnswerSchema>;

export const driftEndpoints = [
  endpoint({
    method: 'get',
    path: '/nodes/{name}/drift',
    operationId: 'getNodeDrift',
    summary: "A node's drift per desired field: desired, observed, status since when, why, and the fix's dry run",
    tag: 'desired',
    params: nodeNameParams,
    responses: { 200: { description: 'The drift', schema: nodeDriftSchema }, 400: errors[400], 404: errors[404], ...authErrors },
  }),
  endpoint({
    method: 'get',
    path: '/drift',
    operationId: 'getFleetDrift',
    summary: 'The fleet: drift counts per field, profile and cluster, and a page of the drifting nodes',
    tag: 'desired',
    query: fleetDriftQuery,
    responses: { 200: { description: 'The summary', schema: fleetDriftSchema }, 400: errors[400], ...authErrors },
  }),
  endpoint({
    method: 'post',
    path: '/reconcile',
    operationId: 'reconcile',
    summary: 'Converge drifting enforce fields of the selected nodes with catalog tasks (202), or list them with dryRun (200)',
    description:
      'Idempotent: a compliant field, or one with a reconcile task still queued or running, gets no task. ' +
      'A fix that destroys devices (a pool on disks) needs `confirm: [{node, devices}]` naming that node and exactly those ' +
      'devices; without it the answer is 409 listing them, and nothing runs.',
    tag: 'desired',
    body: reconcileRequestSchema,
    responses: {
      200: { description: 'dryRun: what would run, nothing started', schema: reconcileAnswerSchema },
      202: { description: 'Queued, one task per node and fix', schema: reconcileAnswerSchema },
      ...bodyErrors,
      409: errors[409],
      ...authErrors,
    },
  }),
] as const;
