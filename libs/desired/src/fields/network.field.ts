import { netconfigSpec, networkChanges, networkView, type NetconfigSpec, type NetworkView } from '@pvefleet/jobs';
import type { DesiredField } from '../desired-field';

/**
 * The host network (the seed's Network Configuration): every bridge, bond and VLAN interface of
 * /etc/network/interfaces, as the `netconfig` kind takes them. The management interface (the one with
 * the default gateway) and what it stands on are kept as they are unless the value names them, so one
 * profile fits nodes with different addresses. `report` by default: a wrong network change cuts a node
 * off, so converging it is a decision (and then a confirmed apply the node rolls back by itself).
 */
export const networkField: DesiredField<NetconfigSpec, NetworkView> = {
  key: 'network',
  description: 'Host network: bridges (ports, address, VLAN-aware), bonds (mode, slaves, hash policy) and VLAN interfaces',
  scope: 'node',
  defaultMode: 'report',
  schema: netconfigSpec,
  observe: (facts) => (facts.network ? networkView(facts.network) : null),
  differs(desired, observed) {
    const changes = networkChanges(desired, observed);
    return changes.length ? changes.join('; ') : undefined;
  },
  fix(desired, facts) {
    if (!facts.network) return [];
    const view = networkView(facts.network);
    // An interface a sourced file (SDN's, a hand-written one) declares is for a person to move: the kind refuses it.
    const names = [...desired.bridges, ...desired.bonds, ...desired.vlans].map((i) => i.name);
    if (view.elsewhere.some((e) => names.includes(e.name))) return [];
    return networkChanges(desired, view).length ? [{ type: 'netconfig', params: desired }] : [];
  },
};
