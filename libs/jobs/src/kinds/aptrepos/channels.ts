import type { RepoEntry } from './repo-entry';

/** The PVE (and Ceph) repository channels, as Proxmox's repository handles name them. */
export const CHANNELS = ['enterprise', 'no-subscription', 'test'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The Debian releases PVE 8 and 9 are built on. */
export const SUITES = ['bookworm', 'trixie'] as const;
export type Suite = (typeof SUITES)[number];
export const SUITE_OF_MAJOR: Readonly<Partial<Record<number, Suite>>> = { 8: 'bookworm', 9: 'trixie' };

export const CEPH_RELEASES = ['quincy', 'reef', 'squid', 'tentacle'] as const;
export type CephRelease = (typeof CEPH_RELEASES)[number];
/** Ceph releases Proxmox publishes per suite (pve-commands §2.1, §2.2; pve8to9 wants Squid before trixie). */
export const CEPH_RELEASES_OF_SUITE: Readonly<Record<Suite, readonly CephRelease[]>> = {
  bookworm: ['quincy', 'reef', 'squid'],
  trixie: ['squid', 'tentacle'],
};

const ENTERPRISE_BASE = 'https://enterprise.proxmox.com/debian';
const DOWNLOAD_BASE = 'http://download.proxmox.com/debian';

export const channelBase = (channel: Channel): string => (channel === 'enterprise' ? ENTERPRISE_BASE : DOWNLOAD_BASE);

/** The PVE component: `pvetest` on bookworm, `pve-test` on trixie (pve8to9 fails `pvetest` with trixie). */
export function pveComponent(channel: Channel, suite: Suite): string {
  if (channel === 'test') return suite === 'bookworm' ? 'pvetest' : 'pve-test';
  return `pve-${channel}`;
}

const PVE_CHANNEL_OF: Readonly<Partial<Record<string, Channel>>> = {
  'pve-enterprise': 'enterprise',
  'pve-no-subscription': 'no-subscription',
  pvetest: 'test',
  'pve-test': 'test',
};

export type RepoRole = { kind: 'pve' } | { kind: 'ceph'; release: string } | { kind: 'debian' } | { kind: 'other' };

const PVE_URI = /^https?:\/\/(enterprise|download)\.proxmox\.com\/debian\/pve\/?$/;
const CEPH_URI = /^https?:\/\/(enterprise|download)\.proxmox\.com\/debian\/ceph-([a-z]+)\/?$/;
/** Debian's archive and security archive on any mirror host (the host is never changed). */
const DEBIAN_URI = /^[a-z+]+:\/\/(?![^/]*proxmox\.com)[^/]+(\/.*)?\/debian(-security)?\/?$/;

/** What an entry is, by its URIs (all of them alike): PVE, Ceph (which release), Debian, or something left alone. */
export function roleOf(entry: Pick<RepoEntry, 'uris'>): RepoRole {
  const roles = entry.uris.map(uriRole);
  const key = (r: RepoRole) => (r.kind === 'ceph' ? `ceph-${r.release}` : r.kind);
  if (!roles.length || !roles.every((r) => key(r) === key(roles[0]))) return { kind: 'other' };
  return roles[0];
}

function uriRole(uri: string): RepoRole {
  if (PVE_URI.test(uri)) return { kind: 'pve' };
  const ceph = CEPH_URI.exec(uri);
  if (ceph) return { kind: 'ceph', release: ceph[2] };
  return DEBIAN_URI.test(uri) ? { kind: 'debian' } : { kind: 'other' };
}

/** The channels an entry's components select: `pve-no-subscription` → no-subscription, Ceph's `test` → test. */
export function channelsOf(entry: Pick<RepoEntry, 'uris' | 'components'>): Channel[] {
  const role = roleOf(entry);
  if (role.kind === 'pve')
    return entry.components.flatMap((c) => {
      const channel = PVE_CHANNEL_OF[c];
      return channel ? [channel] : [];
    });
  if (role.kind === 'ceph') return entry.components.filter((c): c is Channel => (CHANNELS as readonly string[]).includes(c));
  return [];
}

/** Same archive ignoring scheme and a trailing slash (http and https download.proxmox.com are one archive). */
export const sameUri = (a: string, b: string): boolean =>
  a.replace(/^[a-z+]+:\/\//, '').replace(/\/$/, '') === b.replace(/^[a-z+]+:\/\//, '').replace(/\/$/, '');
