import type { SwappinessFacts } from '../../node-facts';
import { byteOrder } from '../facts/parse/swappiness';

/**
 * pvefleet's own sysctl.d file. Boot applies sysctl.d files by name, so a file sorting after this one
 * (Debian's `99-sysctl.conf` link to /etc/sysctl.conf, say) has the last word.
 */
export const SWAPPINESS_FILE = '/etc/sysctl.d/90-pvefleet-swappiness.conf';
const FILE_NAME = SWAPPINESS_FILE.slice(SWAPPINESS_FILE.lastIndexOf('/') + 1);

export function swappinessFile(value: number): string {
  return `# Managed by pvefleet (swappiness task): changes here are overwritten.\nvm.swappiness = ${value}\n`;
}

/** Settings in files that boot applies after pvefleet's, which would undo a different value. */
export function laterSettings(facts: SwappinessFacts): { path: string; value: number }[] {
  return facts.settings.filter((s) => s.path !== SWAPPINESS_FILE && byteOrder(s.path.slice(s.path.lastIndexOf('/') + 1), FILE_NAME) > 0);
}

/** The value a boot leaves and the file that sets it (null: no file does, the kernel's default stays). */
export function bootSetting(facts: SwappinessFacts): { path: string; value: number } | null {
  return facts.settings.at(-1) ?? null;
}
