import type { Node } from '@pvefleet/db';
import type { NodeFacts } from '@pvefleet/jobs';
import { summarize, type NodeSummary } from './node-summary';

/** A node as the API shows it. Built field by field so a secret can never leak by default. */
export interface NodeView {
  name: string;
  host: string;
  port: number;
  sshUser: string;
  credentialType: string;
  hostKeyFingerprint: string | null;
  hostKeyAlgorithm: string | null;
  labels: Record<string, string>;
  summary: NodeSummary | null;
  /** Full facts on `GET /nodes/{name}`; the list shows the summary only. */
  facts?: unknown;
  factsAt: string | null;
  busy: boolean;
  createdAt: string;
  updatedAt: string;
}

export function toNodeView(n: Node, opts: { facts: boolean } = { facts: true }): NodeView {
  return {
    name: n.name,
    host: n.host,
    port: n.port,
    sshUser: n.sshUser,
    credentialType: n.credentialType,
    hostKeyFingerprint: n.hostKeyFingerprint,
    hostKeyAlgorithm: n.hostKeyAlgorithm,
    labels: (n.labels ?? {}) as Record<string, string>,
    summary: summarize((n.facts as NodeFacts | null) ?? null),
    ...(opts.facts ? { facts: n.facts ?? null } : {}),
    factsAt: n.factsAt?.toISOString() ?? null,
    busy: n.leaseTaskId !== null && (n.leaseExpiresAt?.getTime() ?? 0) > Date.now(),
    createdAt: n.createdAt.toISOString(),
    updatedAt: n.updatedAt.toISOString(),
  };
}
