import type { NetworkLink } from '../../node-facts';
import { parseLinks } from '../facts/parse/network-interfaces';
import type { IfaceView } from './network-view';

/** What the node must show on a new connection before pvefleet cancels its rollback timer. */
export interface ExpectedNetwork {
  declared: readonly IfaceView[];
  removed: readonly string[];
  /** The management interface and the addresses it must hold (the way pvefleet reaches the node). */
  management: { name: string; addresses: readonly string[] } | null;
}

/** Separates `systemctl is-active TIMER` from `ip -j addr` in the confirm step's output. */
export const CONFIRM_MARKER = '@@pvefleet-links';

/**
 * Reads the confirm step's output (`systemctl is-active` of the rollback timer, the marker, then
 * `ip -j addr`): why the change cannot be confirmed, or undefined. A timer no longer active means it
 * fired first: the node is restoring (or has restored) its old files, so nothing here is the new network.
 */
export function confirmProblem(stdout: string, timer: string, expected: ExpectedNetwork): string | undefined {
  const at = stdout.indexOf(CONFIRM_MARKER);
  const timerState = (at === -1 ? stdout : stdout.slice(0, at)).trim();
  if (timerState !== 'active')
    return `the new network could not be confirmed: the node's rollback timer ${timer} had fired (${timerState || 'no state'}) before pvefleet reached the node on a new connection`;
  const links = at === -1 ? null : parseLinks(stdout.slice(at + CONFIRM_MARKER.length));
  if (!links) return `cannot read the node's links (ip -j addr) to confirm the change`;
  const problems = networkProblems(links, expected);
  return problems.length ? `the node does not show the new network: ${problems.join('; ')}` : undefined;
}

/** Each way the links differ from what the change was to make. */
export function networkProblems(links: readonly NetworkLink[], expected: ExpectedNetwork): string[] {
  const byName = new Map(links.map((l) => [l.name, l]));
  const problems: string[] = [];
  const holds = (name: string, address: string) => {
    const l = byName.get(name);
    if (l && !l.addresses.includes(address)) problems.push(`${name} does not hold ${address}`);
  };
  for (const d of expected.declared) {
    if (!byName.has(d.name)) {
      problems.push(`${d.name} is missing`);
      continue;
    }
    if (d.address) holds(d.name, d.address);
    const members = d.kind === 'bridge' ? d.ports : d.kind === 'bond' ? d.slaves : [];
    for (const m of members) {
      const l = byName.get(m);
      if (!l) problems.push(`${m} (of ${d.name}) is missing`);
      else if (l.master !== d.name) problems.push(`${m} is not in ${d.name}${l.master ? ` (it is in ${l.master})` : ''}`);
    }
  }
  for (const r of expected.removed) if (byName.has(r)) problems.push(`${r} is still there`);
  // Reaching the node on a new connection proved the management network works; its link state may
  // still lag behind (carrier after a port moved), so only its address is checked.
  const m = expected.management;
  if (m) {
    if (!byName.has(m.name)) problems.push(`the management interface ${m.name} is missing`);
    for (const a of m.addresses) holds(m.name, a);
  }
  return [...new Set(problems)];
}
