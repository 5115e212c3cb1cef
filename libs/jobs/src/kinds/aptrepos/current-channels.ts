import type { NodeFacts } from '../../node-facts';
import { CEPH_RELEASES, CHANNELS, type CephRelease, type Channel } from './channels';
import { enabledChannels } from './repo-changes';
import { SourcesSet } from './sources-set';

/**
 * The PVE (and Ceph) channel a node has enabled now, from its facts; null when none or several are.
 * A major upgrade keeps the node on its channel and only switches the suite.
 */
export function currentChannels(facts: Pick<NodeFacts, 'aptSources'>): {
  pve: Channel | null;
  ceph: { release: CephRelease; channel: Channel } | null;
} {
  const on = enabledChannels(new SourcesSet(facts.aptSources).entries());
  const pve = on.pve.length === 1 && (CHANNELS as readonly string[]).includes(on.pve[0]) ? (on.pve[0] as Channel) : null;
  const [release, channel] = on.ceph.length === 1 ? on.ceph[0].split(' ') : [];
  const ceph =
    release && (CEPH_RELEASES as readonly string[]).includes(release) && (CHANNELS as readonly string[]).includes(channel)
      ? { release: release as CephRelease, channel: channel as Channel }
      : null;
  return { pve, ceph };
}
