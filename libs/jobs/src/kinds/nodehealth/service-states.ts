/** The units a PVE node needs before it may take guests again (pve-commands §3.4). */
export const PVE_UNITS = ['corosync', 'pve-cluster', 'pvedaemon', 'pveproxy', 'pve-ha-lrm'] as const;

/**
 * `systemctl is-active U1 U2 …` prints one state per unit, in argument order (pve-outputs §8); its
 * exit code is 0 when any one is active, so only the lines tell. A missing line counts as unknown.
 */
export function parseUnitStates(text: string, units: readonly string[]): Record<string, string> {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return Object.fromEntries(units.map((u, i) => [u, lines[i] ?? 'unknown']));
}
