import { currentChannels, type NodeFacts } from '@pvefleet/jobs';
import type { z } from 'zod';
import type { DesiredField } from '../desired-field';
// The kind's own spec module (the jobs index exports kinds, not their specs; the import walls allow libs/jobs).
import { aptReposSpec } from '../../../jobs/src/kinds/aptrepos/aptrepos.job';

/** The PVE channel and, for a Ceph node, Ceph's release and channel: `aptrepos`'s own fields. */
const reposValue = aptReposSpec.pick({ channel: true, ceph: true });
export type ReposValue = z.infer<typeof reposValue>;

/** The channels enabled now; null for one that is not exactly one (none, or several). */
export interface ReposObserved {
  pve: string | null;
  ceph: { release: string; channel: string } | null;
}

const describeCeph = (c: { release: string; channel: string } | null) => (c ? `${c.release} ${c.channel}` : 'none (or several)');

export const reposField: DesiredField<ReposValue, ReposObserved> = {
  key: 'repos',
  description: 'The PVE (and Ceph) repository channel: enterprise, no-subscription or test',
  scope: 'node',
  defaultMode: 'enforce',
  schema: reposValue,
  observe(facts: NodeFacts) {
    // A node without PVE has no PVE repositories to compare.
    if (!facts.pveversion) return null;
    return currentChannels(facts);
  },
  differs(desired, observed) {
    const why: string[] = [];
    if (observed.pve !== desired.channel) why.push(`PVE channel is ${observed.pve ?? 'none (or several)'}, wants ${desired.channel}`);
    const ceph = desired.ceph;
    if (ceph && (observed.ceph?.release !== ceph.release || observed.ceph.channel !== ceph.channel)) {
      why.push(`Ceph repository is ${describeCeph(observed.ceph)}, wants ${describeCeph(ceph)}`);
    }
    return why.length ? why.join('; ') : undefined;
  },
  fix(desired, facts) {
    const observed = reposField.observe?.(facts) ?? null;
    if (observed && !reposField.differs?.(desired, observed, facts.collectedAt)) return [];
    return [{ type: 'aptrepos', params: { channel: desired.channel, ...(desired.ceph ? { ceph: desired.ceph } : {}) } }];
  },
};
