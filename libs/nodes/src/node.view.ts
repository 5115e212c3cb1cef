import type { Node } from '@pvefleet/db';

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
  facts: unknown;
  factsAt: string | null;
  busy: boolean;
  createdAt: string;
  updatedAt: string;
}

export function toNodeView(n: Node): NodeView {
  return {
    name: n.name,
    host: n.host,
    port: n.port,
    sshUser: n.sshUser,
    credentialType: n.credentialType,
    hostKeyFingerprint: n.hostKeyFingerprint,
    hostKeyAlgorithm: n.hostKeyAlgorithm,
    labels: (n.labels ?? {}) as Record<string, string>,
    facts: n.facts ?? null,
    factsAt: n.factsAt?.toISOString() ?? null,
    busy: n.leaseTaskId !== null && (n.leaseExpiresAt?.getTime() ?? 0) > Date.now(),
    createdAt: n.createdAt.toISOString(),
    updatedAt: n.updatedAt.toISOString(),
  };
}
