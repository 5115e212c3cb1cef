import { hostAddress, labels, nodeName, sshUser, tcpPort } from '@pvefleet/jobs';
import { z } from 'zod';
import { authErrors, bodyErrors, errors, isoTime, nullableTime, page, pagingQuery, repeatable } from './common';
import { endpoint } from './endpoint';

/** The same pattern as `FINGERPRINT_PATTERN` in @pvefleet/ssh (contracts import no SSH code). */
const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;
const fingerprint = z.string().regex(FINGERPRINT, 'must be an OpenSSH SHA256 fingerprint (SHA256: and 43 base64 characters)');

export const passwordCredential = z.strictObject({
  type: z.literal('password'),
  password: z.string().min(1, 'must not be empty').max(1024, 'must be at most 1024 characters'),
});

/** The key is parsed by the API (libs/nodes adds that check): a client need not load ssh2 to build a request. */
export const keyCredential = z.strictObject({
  type: z.literal('key'),
  privateKey: z.string().max(16_384, 'must be at most 16 KiB'),
  passphrase: z.string().max(1024).optional(),
});

export const credentialSchema = z.discriminatedUnion('type', [passwordCredential, keyCredential], {
  error: 'must be {"type":"password","password":…} or {"type":"key","privateKey":…}',
});
export type Credential = z.infer<typeof credentialSchema>;

export const clusterName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be a cluster name');

export const createNodeSchema = z.strictObject({
  name: nodeName,
  host: hostAddress,
  port: tcpPort.default(22),
  sshUser: sshUser.default('root'),
  credential: credentialSchema,
  hostKeyFingerprint: fingerprint.optional(),
  labels: labels.default({}),
});
export type CreateNode = z.infer<typeof createNodeSchema>;

/** A node's name is its identity (task history refers to it), so it cannot be changed. */
export const updateNodeSchema = z.strictObject({
  host: hostAddress.optional(),
  port: tcpPort.optional(),
  sshUser: sshUser.optional(),
  credential: credentialSchema.optional(),
  /** null forgets the pinned key: the next contact records the key it sees (after a node reinstall). */
  hostKeyFingerprint: fingerprint.nullable().optional(),
  labels: labels.optional(),
});
export type UpdateNode = z.infer<typeof updateNodeSchema>;

/** Which nodes a fleet request targets: every given criterion must match (names, labels, clusters). */
export const nodeSelectorSchema = z
  .strictObject({
    nodes: z.array(nodeName).min(1).max(10_000).optional(),
    labels: labels.optional(),
    /** Cluster names as the nodes report them in their facts (`pvecm status`). */
    clusters: z.array(clusterName).min(1).optional(),
    /** Every registered node; must be said explicitly. */
    all: z.literal(true).optional(),
  })
  .refine((s) => s.nodes || s.labels || s.clusters || s.all, 'give nodes, labels, clusters, or all: true');
export type NodeSelector = z.infer<typeof nodeSelectorSchema>;

export const listNodesQuery = z.strictObject({
  /** `label=dc=fra` (repeatable): every pair must match. */
  label: repeatable(z.string())
    .transform((pairs) => Object.fromEntries(pairs.map((p) => [p.split('=', 1)[0], p.slice(p.indexOf('=') + 1)])))
    .pipe(labels),
  /** The cluster the node reports in its facts. */
  cluster: clusterName.optional(),
  /** Part of the name or host, case-insensitive. */
  q: z.string().min(1).max(253).optional(),
  /** `facts=1` adds every node's full facts to the summary. */
  facts: z
    .enum(['0', '1', 'true', 'false'])
    .optional()
    .transform((v) => v === '1' || v === 'true'),
  ...pagingQuery,
});
export type ListNodesQuery = z.infer<typeof listNodesQuery>;

export const nodeNameParams = z.strictObject({ name: nodeName });

export const nodeSummarySchema = z
  .object({
    pveVersion: z.string().nullable(),
    kernel: z.string().nullable(),
    rebootRequired: z.boolean().nullable(),
    upgradable: z.number().int().nullable(),
    cluster: z.string().nullable(),
    quorate: z.boolean().nullable(),
    timeSynced: z.boolean().nullable(),
    certificateExpires: z.string().nullable(),
    certificateDaysLeft: z.number().int().nullable(),
    pools: z.array(z.object({ name: z.string(), health: z.string() })).nullable(),
  })
  .meta({ id: 'NodeSummary' });

/** A node as the API shows it; never its credential. */
export const nodeViewSchema = z
  .strictObject({
    name: z.string(),
    host: z.string(),
    port: z.number().int(),
    sshUser: z.string(),
    credentialType: z.string(),
    hostKeyFingerprint: z.string().nullable(),
    hostKeyAlgorithm: z.string().nullable(),
    labels: z.record(z.string(), z.string()),
    summary: nodeSummarySchema.nullable(),
    /** Full facts on `GET /nodes/{name}` and with `?facts=1`. */
    facts: z.unknown().optional(),
    factsAt: nullableTime,
    busy: z.boolean(),
    /** `GET /nodes/{name}` only: the maintenance window open now (`open: true`, until `end`), else the next to open; null when none applies or none opens within a year. */
    nextWindow: z.strictObject({ name: z.string(), start: isoTime, end: isoTime, open: z.boolean() }).nullable().optional(),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .meta({ id: 'Node' });
export type NodeViewBody = z.infer<typeof nodeViewSchema>;

export const nodeEndpoints = [
  endpoint({
    method: 'post',
    path: '/nodes',
    operationId: 'createNode',
    summary: 'Register a node (credentials are encrypted at rest and never returned)',
    tag: 'nodes',
    body: createNodeSchema,
    responses: { 201: { description: 'Registered', schema: nodeViewSchema }, ...bodyErrors, 409: errors[409], ...authErrors },
  }),
  endpoint({
    method: 'get',
    path: '/nodes',
    operationId: 'listNodes',
    summary: 'The fleet at a glance, by name: each node with a summary of its latest facts',
    description:
      'Filters: `label=key=value` (repeatable, all must match), `cluster`, `q` (name or host, case-insensitive). `facts=1` adds full facts.',
    tag: 'nodes',
    query: listNodesQuery,
    responses: { 200: { description: 'A page of nodes', schema: page(nodeViewSchema) }, 400: errors[400], ...authErrors },
  }),
  endpoint({
    method: 'get',
    path: '/nodes/{name}',
    operationId: 'getNode',
    summary: 'One node with its full facts',
    tag: 'nodes',
    params: nodeNameParams,
    responses: { 200: { description: 'The node', schema: nodeViewSchema }, 400: errors[400], 404: errors[404], ...authErrors },
  }),
  endpoint({
    method: 'patch',
    path: '/nodes/{name}',
    operationId: 'updateNode',
    summary: 'Change address, login, credential, labels; hostKeyFingerprint: null re-learns the host key',
    tag: 'nodes',
    params: nodeNameParams,
    body: updateNodeSchema,
    responses: { 200: { description: 'The node as changed', schema: nodeViewSchema }, ...bodyErrors, 404: errors[404], ...authErrors },
  }),
  endpoint({
    method: 'delete',
    path: '/nodes/{name}',
    operationId: 'deleteNode',
    summary: 'Forget a node; its task history stays',
    tag: 'nodes',
    params: nodeNameParams,
    responses: { 204: { description: 'Forgotten' }, 400: errors[400], 404: errors[404], ...authErrors },
  }),
] as const;
