/**
 * The `master NODE (STATE, ctime)` line of `ha-manager status` (pve-outputs §6.3): STATE is `active`,
 * `idle` (quorate, no resources), `old timestamp - dead?` or `detected time drift!`. Null when the
 * line is missing, which it is when no CRM was ever master (HA never used).
 */
export function parseHaMaster(text: string): { node: string; state: string } | null {
  for (const raw of text.split('\n')) {
    const m = /^master (\S+) \(([^,)]+)/.exec(raw.trim());
    if (m) return { node: m[1], state: m[2].trim() };
  }
  return null;
}

/** The CRM master states that can act on requests (maintenance, migrations). */
export const WORKING_MASTER_STATES = ['active', 'idle'];
