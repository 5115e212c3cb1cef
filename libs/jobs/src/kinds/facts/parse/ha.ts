import type { HaFacts } from '../../../node-facts';

/**
 * `ha-manager status` (pve-ha-manager CLI/ha_manager.pm): `quorum …`, `master NODE (…)`,
 * `lrm NODE (STATE, ctime)` per node, `service SID (NODE, STATE)`. Lines it adds in newer
 * versions (`fencing …`) are ignored. Null when empty (no PVE).
 */
export function parseHa(text: string, nodeName: string): HaFacts | null {
  if (text.trim() === '') return null;
  const facts: HaFacts = { quorumOk: false, masterNode: null, lrmState: null, maintenance: false, services: [] };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === 'quorum OK') facts.quorumOk = true;
    const master = /^master (\S+)/.exec(line);
    if (master) facts.masterNode = master[1];
    const lrm = /^lrm (\S+) \((.*)\)$/.exec(line);
    if (lrm && lrm[1] === nodeName) facts.lrmState = lrmState(lrm[2]);
    const service = /^service (\S+) \(([^,]+), (.+)\)$/.exec(line);
    if (service) facts.services.push({ sid: service[1], node: service[2].trim(), state: service[3].trim() });
  }
  facts.maintenance = facts.lrmState === 'maintenance mode';
  return facts;
}

/**
 * The state is what precedes the first comma: `active, <ctime>`, `maintenance mode, <ctime>`,
 * and the 2026 form `maintenance mode, watchdog active, <ctime>` (the watchdog detail is dropped).
 * ctime has no comma; `unable to read lrm status` has no ctime.
 */
function lrmState(inner: string): string | null {
  return inner.split(',')[0].trim() || null;
}
