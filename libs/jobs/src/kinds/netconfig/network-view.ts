import type { NetworkFacts, NetworkInterface } from '../../node-facts';
import { INTERFACES_PATH } from '../facts/parse/network-interfaces';
import { type NetBond, type NetBridge, type NetVlan, type NetworkSpec, vlanParts } from './netconfig-spec';

/**
 * One bridge, bond or VLAN interface in a form both sides share: what a spec declares and what the
 * facts show compare field by field, and the same form is what a desired-state observation stores.
 */
export type IfaceView =
  | ({ kind: 'bridge'; ports: string[]; vlanAware: boolean; vids: string | null } & Common)
  | ({ kind: 'bond'; slaves: string[]; mode: string | null; xmitHashPolicy: string | null; miimon: number | null } & Common)
  | ({ kind: 'vlan'; rawDevice: string; id: number } & Common);

interface Common {
  name: string;
  /** The IPv4 address with prefix (`10.0.0.11/16`); null for a `manual` interface. */
  address: string | null;
  gateway: string | null;
}

/** The network as pvefleet compares it: small enough to store per node as a desired-state observation. */
export interface NetworkView {
  /** The interface holding the default gateway; kept as it is when a spec does not name it. */
  management: string | null;
  /** Bridges, bonds and VLAN interfaces of /etc/network/interfaces, in file order. */
  interfaces: IfaceView[];
  /** Bridges, bonds and VLAN interfaces declared in a sourced file (interfaces.d, e.g. SDN's): left alone. */
  elsewhere: { name: string; file: string }[];
}

const MANAGED_KINDS: readonly string[] = ['bridge', 'bond', 'vlan'];

export function networkView(net: NetworkFacts): NetworkView {
  const managed = net.interfaces.filter((i) => MANAGED_KINDS.includes(i.kind));
  return {
    management: net.management,
    interfaces: managed.filter((i) => i.file === INTERFACES_PATH).flatMap((i) => viewOfFacts(i) ?? []),
    elsewhere: managed.filter((i) => i.file !== INTERFACES_PATH).map((i) => ({ name: i.name, file: i.file })),
  };
}

function viewOfFacts(i: NetworkInterface): IfaceView | undefined {
  const common = { name: i.name, address: i.addresses.find((a) => !a.includes(':')) ?? null, gateway: i.gateway };
  if (i.bridge) return { kind: 'bridge', ...common, ...i.bridge };
  if (i.bond) return { kind: 'bond', ...common, ...i.bond };
  if (i.vlan) return { kind: 'vlan', ...common, ...i.vlan };
  return undefined;
}

/** PVE's default VLAN range for a VLAN-aware bridge, written when the spec gives none. */
export const DEFAULT_VIDS = '2-4094';

/**
 * What the spec declares, as views. The management interface, when declared without an address,
 * keeps the address (and, unless another interface takes it, the gateway) it has now.
 */
export function declaredViews(spec: NetworkSpec, current: NetworkView): IfaceView[] {
  const mgmt = current.management ? current.interfaces.find((i) => i.name === current.management) : undefined;
  const specGateway = [...spec.bridges, ...spec.bonds, ...spec.vlans].some((i) => i.gateway);
  const addressing = (i: NetBridge | NetBond | NetVlan): Common =>
    mgmt && i.name === mgmt.name
      ? { name: i.name, address: i.address ?? mgmt.address, gateway: i.gateway ?? (specGateway ? null : mgmt.gateway) }
      : { name: i.name, address: i.address ?? null, gateway: i.gateway ?? null };
  return [
    ...spec.bonds.map((b): IfaceView => ({
      kind: 'bond',
      ...addressing(b),
      slaves: b.slaves,
      mode: b.mode,
      xmitHashPolicy: b.xmitHashPolicy ?? null,
      miimon: b.miimon,
    })),
    ...spec.bridges.map((b): IfaceView => ({
      kind: 'bridge',
      ...addressing(b),
      ports: b.ports,
      vlanAware: b.vlanAware,
      vids: b.vlanAware ? (b.vids ?? DEFAULT_VIDS) : null,
    })),
    ...spec.vlans.map((v): IfaceView => {
      // The spec's refinement guarantees the parts; a name alone says them for `DEV.TAG`.
      const parts = vlanParts(v) ?? { rawDevice: '', id: 0 };
      return { kind: 'vlan', ...addressing(v), ...parts };
    }),
  ];
}

/**
 * The interfaces a spec that does not name them keeps: the management interface and what it stands
 * on (its ports, slaves, VLAN device), so a profile for many nodes need not restate each node's address.
 */
export function keptNames(declared: readonly IfaceView[], current: NetworkView): string[] {
  const names = new Set(declared.map((d) => d.name));
  const byName = new Map(current.interfaces.map((i) => [i.name, i]));
  const kept: string[] = [];
  const walk = (name: string | null) => {
    if (!name || names.has(name) || kept.includes(name)) return;
    const i = byName.get(name);
    if (!i) return;
    kept.push(name);
    if (i.kind === 'bridge') i.ports.forEach(walk);
    else if (i.kind === 'bond') i.slaves.forEach(walk);
    else walk(i.rawDevice);
  };
  walk(current.management);
  return kept;
}

/** One interface as a line: `bridge vmbr1: ports eno2, vlan-aware (vids 2-4094), 10.10.10.2/24`. */
export function describeIface(i: IfaceView): string {
  const addr = i.address ? `, ${i.address}${i.gateway ? ` via ${i.gateway}` : ''}` : '';
  if (i.kind === 'bridge')
    return `bridge ${i.name}: ports ${i.ports.join(' ') || 'none'}${i.vlanAware ? `, vlan-aware (vids ${i.vids ?? 'default'})` : ''}${addr}`;
  if (i.kind === 'bond')
    return `bond ${i.name}: ${i.mode ?? 'no mode'} over ${i.slaves.join(' ')}${i.xmitHashPolicy ? ` (${i.xmitHashPolicy})` : ''}${addr}`;
  return `vlan ${i.name}: tag ${i.id} on ${i.rawDevice}${addr}`;
}

/** The fields of `after` that differ from `before`, as `key before → after`. */
export function fieldChanges(before: IfaceView, after: IfaceView): string[] {
  if (before.kind !== after.kind) return [`${before.kind} → ${after.kind}`];
  const a = before as unknown as Record<string, unknown>;
  const b = after as unknown as Record<string, unknown>;
  const show = (v: unknown): string => {
    if (Array.isArray(v)) return v.join(' ') || 'none';
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : 'none';
  };
  return Object.keys(b)
    .filter((k) => k !== 'kind' && k !== 'name' && JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map((k) => `${k} ${show(a[k])} → ${show(b[k])}`);
}

/**
 * What applying the spec changes, one line each (empty: the node is as declared). Shared by the
 * plan's notes and the desired-state drift, so both say the same.
 */
export function networkChanges(spec: NetworkSpec, current: NetworkView): string[] {
  const declared = declaredViews(spec, current);
  const kept = new Set(keptNames(declared, current));
  const lines: string[] = [];
  for (const d of declared) {
    const elsewhere = current.elsewhere.find((e) => e.name === d.name);
    if (elsewhere) {
      lines.push(`${d.name} is declared in ${elsewhere.file}, which pvefleet leaves alone`);
      continue;
    }
    const now = current.interfaces.find((i) => i.name === d.name);
    if (!now) lines.push(`add ${describeIface(d)}`);
    else {
      const changed = fieldChanges(now, d);
      if (changed.length) lines.push(`change ${d.name}: ${changed.join(', ')}`);
    }
  }
  for (const i of current.interfaces)
    if (!declared.some((d) => d.name === i.name) && !kept.has(i.name)) lines.push(`remove ${describeIface(i)}`);
  return lines;
}
