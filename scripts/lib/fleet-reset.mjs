// The demo's simulator keeps no state between runs: its nodes start again from their seed, while
// pvefleet's database still holds what the last run did to them (upgrades, reboots, the facts read
// then). This says so, naming each node whose version or kernel differs from what pvefleet last saw.

/** `{ pveManagerVersion, kernel }` of a node's facts, or null when there are none. */
function summary(facts) {
  return facts ? { version: String(facts.pveManagerVersion ?? '?'), kernel: String(facts.kernel ?? '?') } : null;
}

/**
 * Lines to print after the start's `facts`, given the facts pvefleet held before this run
 * (`before`: name → facts, only nodes it already knew) and the fresh ones (`after`: name → facts).
 * Empty when no node was known before: a first run has nothing to reset.
 */
export function resetNotice(before, after) {
  const known = Object.keys(before);
  if (known.length === 0) return [];
  const lines = [
    `The simulated fleet was reset: the simulator keeps no state across restarts, so ${known.join(', ')}`,
    'started again from their seed. Upgrades, reboots and changes from earlier runs are gone from the nodes,',
    'though the task history still lists them; the facts above were read just now.',
  ];
  for (const name of known) {
    const was = summary(before[name]);
    const now = summary(after[name]);
    if (!was || !now || (was.version === now.version && was.kernel === now.kernel)) continue;
    lines.push(`  ${name.padEnd(6)} was ${was.version} kernel ${was.kernel}, now ${now.version} kernel ${now.kernel}`);
  }
  return lines;
}
