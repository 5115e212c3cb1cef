import type { UpgradablePackage } from '../../../node-facts';

/** `name/suite version arch [upgradable from: old]`; the suite may be a comma list (`stable,now`). */
const PACKAGE_LINE = /^([^\s/]+)\/(\S+)\s+(\S+)\s+(\S+)\s+\[upgradable from:\s*([^\]\s]+)\s*\]/;

/**
 * `LC_ALL=C apt list --upgradable`. Null when apt printed nothing at all (no `Listing...` line:
 * the tool is absent), [] when it listed nothing. Other lines (`WARNING:`, `N:` hints) are ignored.
 */
export function parseUpgradable(text: string): UpgradablePackage[] | null {
  const lines = text.split('\n').map((l) => l.trim());
  const packages: UpgradablePackage[] = [];
  for (const line of lines) {
    const m = PACKAGE_LINE.exec(line);
    if (m) packages.push({ name: m[1], suite: m[2], version: m[3], arch: m[4], from: m[5] });
  }
  const listed = lines.some((l) => l.startsWith('Listing...'));
  return listed || packages.length > 0 ? packages : null;
}
