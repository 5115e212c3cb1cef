import type { NetworkFacts, NodeFacts } from '../../node-facts';
import { type FieldError, SpecError } from '../../spec-error';
import { INTERFACES_PATH } from '../facts/parse/network-interfaces';
import type { ExpectedNetwork } from './confirm-check';
import type { NetworkSpec } from './netconfig-spec';
import { type IfaceView, declaredViews, keptNames, networkChanges, networkView } from './network-view';
import { renderInterfaces } from './render-interfaces';

/** What applying a spec to a node means: the file to write, what changes, and what to see afterwards. */
export interface NetworkTarget {
  /** /etc/network/interfaces as it is now (the rollback puts exactly this back). */
  before: string;
  after: string;
  declared: IfaceView[];
  kept: string[];
  removed: string[];
  /** One line per change; empty when the node already is as declared. */
  changes: string[];
  expected: ExpectedNetwork;
}

/**
 * Checks the spec against the node (every port, slave and VLAN device exists or is declared, nothing
 * clashes with the management interface kept as it is) and works out the new file. Errors name the
 * spec's field, as a 400 does.
 */
export function networkTarget(spec: NetworkSpec, facts: NodeFacts | null): NetworkTarget {
  const net = facts?.network;
  if (!net)
    throw new SpecError([
      {
        field: 'params',
        message: 'the node has no network facts (no /etc/network/interfaces, or facts read before pvefleet knew the network)',
      },
    ]);
  const view = networkView(net);
  const declared = declaredViews(spec, view);
  const kept = keptNames(declared, view);
  const removed = view.interfaces.filter((i) => !declared.some((d) => d.name === i.name) && !kept.includes(i.name)).map((i) => i.name);
  const errors = checkAgainstNode(spec, net, declared, kept);
  if (errors.length) throw new SpecError(errors);
  const before = net.files.find((f) => f.path === INTERFACES_PATH)?.content ?? '';
  const stanzas = new Set(net.interfaces.map((i) => i.name));
  const declaredNames = new Set(declared.map((d) => d.name));
  const nics = [...new Set(declared.flatMap((d) => (d.kind === 'bridge' ? d.ports : d.kind === 'bond' ? d.slaves : [d.rawDevice])))].filter(
    (n) => !stanzas.has(n) && !declaredNames.has(n) && !n.includes('.'),
  );
  const mgmt = view.management;
  const mgmtView = declared.find((d) => d.name === mgmt) ?? view.interfaces.find((i) => i.name === mgmt);
  const mgmtAddress = mgmtView?.address ?? net.interfaces.find((i) => i.name === mgmt)?.addresses.find((a) => !a.includes(':'));
  return {
    before,
    after: renderInterfaces(before, { declared, removed, nics }),
    declared,
    kept,
    removed,
    changes: networkChanges(spec, view),
    expected: { declared, removed, management: mgmt ? { name: mgmt, addresses: mgmtAddress ? [mgmtAddress] : [] } : null },
  };
}

function checkAgainstNode(spec: NetworkSpec, net: NetworkFacts, declared: readonly IfaceView[], kept: readonly string[]): FieldError[] {
  const errors: FieldError[] = [];
  const keptViews = networkView(net).interfaces.filter((i) => kept.includes(i.name));
  const links = net.links?.map((l) => l.name) ?? null;
  const known = new Set([...net.interfaces.map((i) => i.name), ...declared.map((d) => d.name), ...(links ?? [])]);
  const exists = (name: string): boolean => {
    if (known.has(name) || links === null) return true;
    // `eno1.5` as a bridge port: ifupdown2 makes the VLAN device on a device that exists (the seed's "traditional" VLANs).
    const dot = name.lastIndexOf('.');
    return dot > 0 && exists(name.slice(0, dot));
  };
  const keptOwner = (member: string) =>
    keptViews.find((k) => (k.kind === 'bridge' ? k.ports : k.kind === 'bond' ? k.slaves : []).includes(member))?.name;
  const elsewhere = networkView(net).elsewhere;
  const check = (field: string, name: string, owner: string) => {
    if (!exists(name))
      errors.push({ field, message: `${name} is not an interface on the node (it has ${[...(links ?? [])].join(', ') || 'none'})` });
    const k = keptOwner(name);
    if (k && k !== owner)
      errors.push({ field, message: `${name} is a port of ${k}, which carries the management interface and is kept as it is` });
  };
  const kinds = [
    ['bridges', spec.bridges],
    ['bonds', spec.bonds],
    ['vlans', spec.vlans],
  ] as const;
  for (const [key, list] of kinds)
    list.forEach((i, n) => {
      const e = elsewhere.find((x) => x.name === i.name);
      if (e)
        errors.push({
          field: `params.${key}.${n}.name`,
          message: `${i.name} is declared in ${e.file}: pvefleet writes ${INTERFACES_PATH} only and leaves sourced files alone`,
        });
    });
  spec.bridges.forEach((b, i) => {
    b.ports.forEach((p, j) => {
      check(`params.bridges.${i}.ports.${j}`, p, b.name);
    });
  });
  spec.bonds.forEach((b, i) => {
    b.slaves.forEach((s, j) => {
      check(`params.bonds.${i}.slaves.${j}`, s, b.name);
    });
  });
  spec.vlans.forEach((v, i) => {
    const raw = declared.find((d) => d.name === v.name);
    if (raw?.kind === 'vlan' && !exists(raw.rawDevice))
      errors.push({ field: `params.vlans.${i}.name`, message: `its device ${raw.rawDevice} is not an interface on the node` });
  });
  const keptGateway = keptViews.find((k) => k.gateway);
  if (keptGateway) {
    for (const [key, list] of kinds)
      list.forEach((i, n) => {
        if (i.gateway)
          errors.push({
            field: `params.${key}.${n}.gateway`,
            message: `${keptGateway.name}, the management interface kept as it is, has the default gateway ${keptGateway.gateway ?? ''}`,
          });
      });
  }
  return errors;
}
