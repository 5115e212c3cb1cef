import { compareDebianVersions } from '../util/debian-version';
import { ARCHIVE_OFFERS, DEFAULT_KERNEL_SERIES } from './package-catalog';
import { AptRepo, archiveKeys, isEnterprise, readRepositories } from './repositories';
import type { SimNode } from './node';

export interface Candidate {
  version: string;
  key: string;
}

export interface Change {
  name: string;
  from?: string;
  to: string;
  key: string;
}

/** Enabled repository lines, in the order apt reads them. */
export function enabledRepos(node: SimNode): AptRepo[] {
  return readRepositories(node.fs).filter((r) => r.enabled);
}

/** A repository apt cannot fetch: enterprise without a subscription answers 401. */
export const repoFails = (node: SimNode, repo: AptRepo): boolean => isEnterprise(repo) && !node.sim.options.subscription;

/** Archives in the node's package lists (as of its last `apt-get update`). */
export function listKeys(node: SimNode): Set<string> {
  if (node.aptListKeys) return node.aptListKeys;
  return new Set(
    enabledRepos(node)
      .filter((r) => !repoFails(node, r))
      .flatMap(archiveKeys),
  );
}

export function candidates(node: SimNode): Map<string, Candidate> {
  const out = new Map<string, Candidate>();
  for (const key of listKeys(node)) {
    // A list the catalogue has no offer for (another suite or component) adds no candidates.
    if (!Object.hasOwn(ARCHIVE_OFFERS, key)) continue;
    const offer = ARCHIVE_OFFERS[key];
    for (const [name, version] of Object.entries(offer)) {
      const cur = out.get(name);
      if (!cur || compareDebianVersions(version, cur.version) > 0) out.set(name, { version, key });
    }
  }
  return out;
}

export function upgradable(node: SimNode): Change[] {
  const cands = candidates(node);
  const out: Change[] = [];
  for (const name of node.packages.names()) {
    const from = node.packages.get(name) as string;
    const c = cands.get(name);
    if (c && compareDebianVersions(c.version, from) > 0) out.push({ name, from, to: c.version, key: c.key });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/**
 * What `apt-get dist-upgrade` would do: every upgrade, plus the kernel image
 * a newer kernel meta-package depends on, plus the new default kernel series
 * after a major upgrade. Plain `upgrade` keeps those installs back.
 */
export function planUpgrade(node: SimNode, dist: boolean): { upgrades: Change[]; installs: Change[]; keptBack: Change[] } {
  const cands = candidates(node);
  // `apt-mark hold` keeps a package back from both upgrade and dist-upgrade.
  const held = upgradable(node).filter((u) => node.heldPackages.has(u.name));
  const upgrades = upgradable(node).filter((u) => !node.heldPackages.has(u.name));
  const installs: Change[] = [];
  const targetManager = upgrades.find((u) => u.name === 'pve-manager')?.to ?? node.packages.get('pve-manager') ?? '8';
  const series = DEFAULT_KERNEL_SERIES[Number(targetManager.split('.')[0])];
  const metas = new Set(upgrades.filter((u) => /^proxmox-kernel-\d+\.\d+$/.test(u.name)).map((u) => u.name));
  if (series && !node.packages.has(`proxmox-kernel-${series}`) && cands.has(`proxmox-kernel-${series}`)) {
    const c = cands.get(`proxmox-kernel-${series}`) as Candidate;
    installs.push({ name: `proxmox-kernel-${series}`, to: c.version, key: c.key });
    metas.add(`proxmox-kernel-${series}`);
  }
  for (const meta of metas) {
    const c = cands.get(meta) as Candidate;
    const image = `proxmox-kernel-${c.version}-pve-signed`;
    if (!node.packages.has(image) && cands.has(image)) installs.push({ name: image, to: c.version, key: c.key });
  }
  if (dist) return { upgrades, installs, keptBack: held };
  const keptBack = [...upgrades.filter((u) => metas.has(u.name)), ...held];
  return { upgrades: upgrades.filter((u) => !metas.has(u.name)), installs: [], keptBack };
}

export function applyChanges(node: SimNode, changes: Change[]): void {
  for (const c of changes) node.packages.set(c.name, c.to);
}

/** The `Origin/suite` label `apt list` prints after the package name. */
export function suiteLabel(key: string, name: string): string {
  const [kind, suite] = key.split(':');
  if (kind !== 'debian') return 'stable';
  const base = suite === 'bookworm' ? 'oldstable' : 'stable';
  return name === 'linux-libc-dev' || name === 'openssh-server' ? `${base}-security` : base;
}

/** `Get:` lines need the archive URI and component of the repo that provides a key. */
export function repoForKey(node: SimNode, key: string): AptRepo | undefined {
  return enabledRepos(node).find((r) => archiveKeys(r).includes(key));
}

export function packageSize(name: string): number {
  if (/-pve-signed$/.test(name)) return 102_000_000;
  if (name === 'pve-qemu-kvm') return 31_000_000;
  if (name.startsWith('ceph')) return 9_800_000;
  return 200_000 + ((name.length * 37_123) % 2_400_000);
}
