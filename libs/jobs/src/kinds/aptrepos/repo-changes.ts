import type { NodeFacts } from '../../node-facts';
import { SpecError } from '../../spec-error';
import {
  CEPH_RELEASES_OF_SUITE,
  SUITES,
  SUITE_OF_MAJOR,
  channelBase,
  channelsOf,
  pveComponent,
  roleOf,
  type Channel,
  type Suite,
} from './channels';
import { formatOf, type NewEntry, type RepoEntry, type SourcesFormat } from './repo-entry';
import { selectOnly } from './select-channel';
import { SourcesSet } from './sources-set';
import { switchSuites } from './suite-switch';
import type { AptReposSpec } from './aptrepos.job';

export interface RepoChanges {
  pveMajor: number;
  fromSuite: Suite;
  suite: Suite;
  /** The format of files pvefleet creates (existing files keep theirs). */
  layout: SourcesFormat;
  /** What must be enabled afterwards, and nothing else of its kind. */
  expected: { pve: NewEntry; ceph: NewEntry | null };
  /** Files that change, with their full new content. */
  files: { path: string; before: string | null; content: string }[];
  actions: string[];
  notes: string[];
}

/** Computes every file's new content from the node's sources as the facts list them (pure). */
export function planRepoChanges(spec: AptReposSpec, facts: NodeFacts | null): RepoChanges {
  assertPveNode(facts);
  const { pveMajor, fromSuite } = nodeRelease(facts);
  const suite: Suite = spec.suite ?? fromSuite;
  if (SUITES.indexOf(suite) < SUITES.indexOf(fromSuite)) {
    throw new SpecError([{ field: 'params.suite', message: `the node runs ${fromSuite}; going back to ${suite} is not supported` }]);
  }
  if (spec.ceph && !(CEPH_RELEASES_OF_SUITE[suite] as readonly string[]).includes(spec.ceph.release)) {
    throw new SpecError([
      {
        field: 'params.ceph.release',
        message: `Proxmox publishes no Ceph ${spec.ceph.release} for ${suite} (available: ${CEPH_RELEASES_OF_SUITE[suite].join(', ')})`,
      },
    ]);
  }
  const set = new SourcesSet(facts.aptSources);
  const before = enabledChannels(set.entries());
  const layout = layoutOf(set.entries(), pveMajor);
  const actions: string[] = [];
  const notes: string[] = set.ignored.map((p) => `ignored ${p}: apt does not read files named like this`);

  if (suite !== fromSuite) {
    const sw = switchSuites(set, fromSuite, suite, spec.ceph !== undefined);
    actions.push(...sw.actions);
    notes.push(...sw.notes);
  }
  const pve: NewEntry = { uri: `${channelBase(spec.channel)}/pve`, suite, component: pveComponent(spec.channel, suite) };
  const pveEntries = set.entries().filter((e) => roleOf(e).kind === 'pve' && e.types.includes('deb'));
  actions.push(...selectOnly(set, pveEntries, pve, canonicalPvePath(spec.channel, layout)));
  let ceph: NewEntry | null = null;
  if (spec.ceph) {
    ceph = { uri: `${channelBase(spec.ceph.channel)}/ceph-${spec.ceph.release}`, suite, component: spec.ceph.channel };
    const cephEntries = set.entries().filter((e) => roleOf(e).kind === 'ceph' && e.types.includes('deb'));
    actions.push(
      ...selectOnly(
        set,
        cephEntries,
        ceph,
        layout === 'deb822' ? '/etc/apt/sources.list.d/ceph.sources' : '/etc/apt/sources.list.d/ceph.list',
      ),
    );
  }
  const files = set.changed();

  const wanted = `PVE channel ${spec.channel}${spec.ceph ? `, Ceph ${spec.ceph.release} ${spec.ceph.channel}` : ''}`;
  notes.unshift(
    `PVE ${pveMajor} on ${fromSuite}: ${layout === 'deb822' ? 'deb822 .sources files (disabled with Enabled: no)' : 'one-line .list files (disabled by commenting out)'}`,
    `enabled now: PVE ${before.pve.join(', ') || 'none'}${before.ceph.length ? `; Ceph ${before.ceph.join(', ')}` : ''}; wanted: ${wanted}${suite !== fromSuite ? ` on ${suite}` : ''}`,
    ...(suite !== fromSuite
      ? [
          `major-upgrade switch ${fromSuite} → ${suite}: Debian, PVE and Ceph suites change, mirror hosts stay${suite === 'trixie' ? ', pvetest becomes pve-test' : ''}`,
        ]
      : []),
  );
  notes.push(...actions);
  notes.push(
    files.length
      ? `files to write: ${files.map((f) => f.path).join(', ')}`
      : `the ${wanted} is already set on ${suite}: nothing to write, verifying only`,
  );
  return { pveMajor, fromSuite, suite, layout, expected: { pve, ceph }, files, actions, notes };
}

/** Refuses a node without Proxmox VE (or without facts): it has no PVE channel to set. */
export function assertPveNode(facts: NodeFacts | null): asserts facts is NodeFacts & { pveMajor: number } {
  if (!facts || facts.pveMajor === null) {
    throw new SpecError([
      { field: 'params.channel', message: 'the node does not run Proxmox VE (no pveversion in its facts): there is no PVE channel to set' },
    ]);
  }
}

function nodeRelease(facts: NodeFacts & { pveMajor: number }): { pveMajor: number; fromSuite: Suite } {
  const codename = facts.os.codename as Suite;
  const fromSuite = (SUITES as readonly string[]).includes(codename) ? codename : SUITE_OF_MAJOR[facts.pveMajor];
  if (!fromSuite) {
    throw new SpecError([
      {
        field: 'params.channel',
        message: `PVE ${facts.pveMajor} on '${facts.os.codename}' is not supported (PVE 8 on bookworm, PVE 9 on trixie)`,
      },
    ]);
  }
  if (!facts.aptSources.length) {
    // Every PVE node ships pve-enterprise.list/.sources: an empty list means facts that cannot be planned from.
    throw new SpecError([
      {
        field: 'params.channel',
        message: "the node's facts list no APT sources files, so nothing can be planned from them: run 'facts' and retry",
      },
    ]);
  }
  return { pveMajor: facts.pveMajor, fromSuite };
}

/**
 * New files follow the node: the format its PVE entries are in when they agree, else the major's
 * (PVE 8 one-line .list, PVE 9 deb822 .sources). A PVE 8 node switched to trixie keeps its .list files.
 */
function layoutOf(entries: RepoEntry[], pveMajor: number): SourcesFormat {
  const formats = new Set(entries.filter((e) => roleOf(e).kind === 'pve').map((e) => formatOf(e.path)));
  if (formats.size === 1) return [...formats][0];
  return pveMajor >= 9 ? 'deb822' : 'one-line';
}

/** Where Proxmox puts each channel: pve-enterprise.list/.sources (shipped), proxmox.sources (pve-package-repos). */
function canonicalPvePath(channel: Channel, layout: SourcesFormat): string {
  const dir = '/etc/apt/sources.list.d';
  if (channel === 'enterprise') return `${dir}/pve-enterprise.${layout === 'deb822' ? 'sources' : 'list'}`;
  if (layout === 'deb822') return `${dir}/proxmox.sources`;
  return channel === 'test' ? `${dir}/pvetest.list` : `${dir}/pve-no-subscription.list`;
}

/** The channels enabled `deb` entries select, for notes and verification. */
export function enabledChannels(entries: RepoEntry[]): { pve: string[]; ceph: string[] } {
  const on = entries.filter((e) => e.enabled && e.types.includes('deb'));
  const pve = new Set<string>();
  const ceph = new Set<string>();
  for (const e of on) {
    const role = roleOf(e);
    for (const ch of channelsOf(e)) {
      if (role.kind === 'pve') pve.add(ch);
      if (role.kind === 'ceph') ceph.add(`${role.release} ${ch}`);
    }
  }
  return { pve: [...pve], ceph: [...ceph] };
}
