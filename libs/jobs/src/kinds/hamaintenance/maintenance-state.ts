import type { HaFacts } from '../../node-facts';
import { parseHa } from '../facts/parse/ha';

/** LRM states of a node that takes part in HA again (`idle` when no service is assigned to it). */
const WORKING_LRM_STATES = ['active', 'idle', 'wait_for_agent_lock'];

/** `ha-manager status` as seen for `node`; an unreadable output counts as no HA state at all. */
export function haStateOf(text: string, node: string): HaFacts {
  return parseHa(text, node) ?? { quorumOk: false, masterNode: null, lrmState: null, maintenance: false, services: [] };
}

export const inMaintenance = (text: string, node: string): boolean => haStateOf(text, node).maintenance;

/** HA services the status places on `node`, e.g. `vm:100 (migrate)`. */
export function servicesOn(ha: HaFacts, node: string): string[] {
  return ha.services.filter((s) => s.node === node).map((s) => `${s.sid} (${s.state})`);
}

/** What keeps `node` from being fully in maintenance mode: its LRM state, HA services still on it. */
export function enterProblems(text: string, node: string): string[] {
  const ha = haStateOf(text, node);
  const problems: string[] = [];
  if (!ha.quorumOk) problems.push('HA manager has no quorum');
  if (!ha.maintenance) problems.push(ha.lrmState ? `lrm ${node} is ${ha.lrmState}` : `ha-manager status shows no lrm for ${node}`);
  const left = servicesOn(ha, node);
  if (left.length) problems.push(`HA services still on ${node}: ${left.join(', ')}`);
  return problems;
}

/**
 * What keeps `node` from being out of maintenance mode with a working LRM. No lrm line at all is
 * fine: the CRM lists LRMs only once HA has been used, and such a node cannot be in maintenance.
 */
export function leaveProblems(text: string, node: string): string[] {
  const ha = haStateOf(text, node);
  const problems: string[] = [];
  if (!ha.quorumOk) problems.push('HA manager has no quorum');
  if (ha.lrmState && !WORKING_LRM_STATES.includes(ha.lrmState)) problems.push(`lrm ${node} is ${ha.lrmState}`);
  return problems;
}
