import { z } from 'zod';
import { nodeName } from '@pvefleet/jobs';
import { nodeSelectorSchema } from '@pvefleet/nodes';

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
          message: "a rollout moves guests away itself: guests may only be 'refuse' (the default) or 'shutdown' (for standalone nodes)",
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
