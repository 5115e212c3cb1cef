/** One line of `LC_ALL=C apt list --upgradable`, as recorded on the task. */
export interface UpgradableEntry {
  name: string;
  /** The archive suite(s) apt names, e.g. `stable` or `oldstable-security`. */
  suite: string;
  from: string;
  to: string;
  arch: string;
}

/** `name/suite version arch [upgradable from: old]` (pve-commands §2.3); LC_ALL=C keeps the wording fixed. */
const LINE = /^([^\s/]+)\/(\S+)\s+(\S+)\s+(\S+)\s+\[upgradable from:\s*([^\]\s]+)\s*\]/;

/** The packages `apt list --upgradable` printed; `Listing...`, `WARNING:` and `N:` lines are not packages. */
export function parseUpgradableList(stdout: string): UpgradableEntry[] {
  const out: UpgradableEntry[] = [];
  for (const line of stdout.split('\n')) {
    const m = LINE.exec(line.trim());
    if (m) out.push({ name: m[1], suite: m[2], to: m[3], arch: m[4], from: m[5] });
  }
  return out;
}

/** `pve-manager 8.4.11 → 8.4.16`, for log lines and failure texts. */
export const describeUpgrade = (p: UpgradableEntry): string => `${p.name} ${p.from} → ${p.to}`;
