import type { NodeFacts } from '@pvefleet/jobs';

/** The fleet at a glance: what `GET /nodes` shows per node, derived from its latest facts. */
export interface NodeSummary {
  pveVersion: string | null;
  kernel: string | null;
  rebootRequired: boolean | null;
  upgradable: number | null;
  cluster: string | null;
  quorate: boolean | null;
  timeSynced: boolean | null;
  certificateExpires: string | null;
  certificateDaysLeft: number | null;
  pools: { name: string; health: string }[] | null;
}

/** Facts as stored: a row written by an older version may lack fields that today's reader collects. */
export function summarize(facts: Partial<NodeFacts> | null, now = Date.now()): NodeSummary | null {
  if (!facts) return null;
  const notAfter = facts.certificate?.notAfter;
  return {
    pveVersion: facts.pveManagerVersion ?? null,
    kernel: facts.kernel ?? null,
    rebootRequired: facts.kernels?.rebootRequired ?? null,
    upgradable: facts.upgradable ? facts.upgradable.length : null,
    cluster: facts.cluster?.name ?? null,
    quorate: facts.cluster ? facts.cluster.quorate : null,
    timeSynced: facts.time?.synced ?? null,
    certificateExpires: notAfter ? new Date(notAfter * 1000).toISOString() : null,
    certificateDaysLeft: notAfter ? Math.floor((notAfter * 1000 - now) / 86_400_000) : null,
    pools: facts.pools ? facts.pools.map((p) => ({ name: p.name, health: p.health })) : null,
  };
}
