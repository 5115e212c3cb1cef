import { parseUpgradable } from '../facts/parse/upgradable';

/** One line of `LC_ALL=C apt list --upgradable`, as recorded on the task. */
export interface UpgradableEntry {
  name: string;
  /** The archive suite(s) apt names, e.g. `stable` or `oldstable-security`. */
  suite: string;
  from: string;
  to: string;
  arch: string;
}

/** The packages `apt list --upgradable` printed (facts' parser), as from → to. */
export function parseUpgradableList(stdout: string): UpgradableEntry[] {
  return (parseUpgradable(stdout) ?? []).map((p) => ({ name: p.name, suite: p.suite, from: p.from, to: p.version, arch: p.arch }));
}

/** `pve-manager 8.4.11 → 8.4.16`, for log lines and failure texts. */
export const describeUpgrade = (p: UpgradableEntry): string => `${p.name} ${p.from} → ${p.to}`;
