import { z } from 'zod';
import { labels, nodeName } from '@pvefleet/jobs';

/** Which nodes a fleet request targets: every given criterion must match (names, labels, clusters). */
export const nodeSelectorSchema = z
  .strictObject({
    nodes: z.array(nodeName).min(1).max(10_000).optional(),
    labels: labels.optional(),
    /** Cluster names as the nodes report them in their facts (`pvecm status`). */
    clusters: z
      .array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be a cluster name'))
      .min(1)
      .optional(),
    /** Every registered node; must be said explicitly. */
    all: z.literal(true).optional(),
  })
  .refine((s) => s.nodes || s.labels || s.clusters || s.all, 'give nodes, labels, clusters, or all: true');
export type NodeSelector = z.infer<typeof nodeSelectorSchema>;
