import { SpecError } from '../../spec-error';
import { CEPH_RELEASES_OF_SUITE, roleOf, type Suite } from './channels';
import type { SourcesSet } from './sources-set';

/**
 * The major-upgrade switch: every Debian, PVE and Ceph entry moves from `from` to `to`
 * (bookworm-security → trixie-security, pvetest → pve-test), disabled ones included so no stale
 * suite is left to enable later. Mirror hosts are never touched, only suites. Returns what changed.
 */
export function switchSuites(set: SourcesSet, from: Suite, to: Suite, cephChosen: boolean): { actions: string[]; notes: string[] } {
  const actions: string[] = [];
  const notes: string[] = [];
  for (const entry of set.entries()) {
    const role = roleOf(entry);
    const onOld = entry.suites.some((s) => s === from || s.startsWith(`${from}-`));
    if (!onOld) continue;
    if (role.kind === 'other') {
      if (entry.enabled) notes.push(`left alone (not a Debian, PVE or Ceph repository): ${entry.path}: ${entry.describe()}`);
      continue;
    }
    if (role.kind === 'ceph' && !(CEPH_RELEASES_OF_SUITE[to] as readonly string[]).includes(role.release)) {
      if (entry.enabled && !cephChosen) {
        throw new SpecError([
          {
            field: 'params.ceph',
            message: `Ceph ${role.release} is enabled in ${entry.path} and has no ${to} repository: upgrade Ceph to ${CEPH_RELEASES_OF_SUITE[to][0]} first, or name the Ceph release and channel to switch to`,
          },
        ]);
      }
      continue;
    }
    const before = entry.describe();
    entry.setSuites(entry.suites.map((s) => (s === from || s.startsWith(`${from}-`) ? `${to}${s.slice(from.length)}` : s)));
    if (role.kind === 'pve' && to !== 'bookworm') entry.setComponents(entry.components.map((c) => (c === 'pvetest' ? 'pve-test' : c)));
    actions.push(`${from} → ${to} in ${entry.path}: ${before} → ${entry.describe()}`);
  }
  return { actions, notes };
}
