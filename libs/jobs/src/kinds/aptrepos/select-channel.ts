import { sameUri } from './channels';
import type { NewEntry, RepoEntry } from './repo-entry';
import type { SourcesSet } from './sources-set';

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export const matchesTarget = (e: RepoEntry, target: NewEntry): boolean =>
  e.types.includes('deb') &&
  e.uris.length === 1 &&
  sameUri(e.uris[0], target.uri) &&
  same(e.suites, [target.suite]) &&
  same(e.components, [target.component]);

/**
 * Leaves exactly one of `candidates` (the node's PVE, or Ceph, `deb` entries) enabled: the target.
 * An entry already saying the target is enabled in place (PVE 8's commented pve-enterprise.list line,
 * PVE 9's `Enabled: no` stanza); otherwise the target is added to `canonicalPath`. Every other
 * enabled candidate is disabled, wherever it is (e.g. a line someone put in /etc/apt/sources.list).
 */
export function selectOnly(set: SourcesSet, candidates: RepoEntry[], target: NewEntry, canonicalPath: string): string[] {
  const actions: string[] = [];
  const matches = candidates.filter((e) => matchesTarget(e, target));
  const chosen = matches.find((e) => e.enabled) ?? matches.at(0);
  for (const e of candidates) {
    if (e === chosen || !e.enabled) continue;
    e.setEnabled(false);
    actions.push(`disable ${e.path}: ${e.describe()}`);
  }
  if (chosen && !chosen.enabled) {
    chosen.setEnabled(true);
    actions.push(`enable ${chosen.path}: ${chosen.describe()}`);
  } else if (!chosen) {
    set.file(canonicalPath).append(target);
    actions.push(`add to ${canonicalPath}: deb ${target.uri} ${target.suite} ${target.component}`);
  }
  return actions;
}
