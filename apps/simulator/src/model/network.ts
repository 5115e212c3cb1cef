import type { NodeTransport, SimNode } from './node';
import { defaultInterfaces, IfaceConfig, parseInterfaces, validCidr } from './network-config';

/** Every node has two onboard NICs; the installer bridges the first. */
export const PHYSICAL_NICS = ['eno1', 'eno2'];

export interface NetworkState {
  /** The stanzas the last `ifreload -a` (or the boot) applied. */
  applied: IfaceConfig[];
  bootId: string;
  /** Whether the node's management address is gone (its SSH listener closed, or about to be). */
  cutOff: boolean;
  /** The SSH transport while a wrapper stands in for it (cut off). */
  realTransport?: NodeTransport;
}

export type IfaceKind = 'loopback' | 'ether' | 'bridge' | 'bond' | 'vlan';

/** One link as `ip` shows it. */
export interface LinkState {
  index: number;
  name: string;
  kind: IfaceKind;
  up: boolean;
  carrier: boolean;
  addresses: string[];
  master?: string;
  parent?: string;
  mac: string;
}

export interface ApplyResult {
  messages: string[];
  code: number;
}

/**
 * The node's network as configured at boot or by the last `ifreload -a`. Before anything asked, it is
 * the installer's file (an edit only counts once applied); a reboot applies the files as they are.
 */
export function networkState(node: SimNode): NetworkState {
  if (!node.network || node.network.bootId !== node.bootId) {
    // The installer's files as they were at start: interfaces.d was empty, so its `source` line adds nothing.
    const installed = defaultInterfaces(node.ip).replace(/^source .*$/m, '');
    const applied = parseInterfaces(node.fs, node.network ? undefined : installed).ifaces;
    node.network = { applied, bootId: node.bootId, cutOff: node.network?.cutOff ?? false, realTransport: node.network?.realTransport };
  }
  return node.network;
}

/** `ifreload -a`: reads the files again, brings interfaces up or down, and follows the management address. */
export function reloadNetwork(node: SimNode): ApplyResult {
  const parsed = parseInterfaces(node.fs);
  const state = networkState(node);
  state.applied = parsed.ifaces;
  const { messages } = evaluate(node, parsed.ifaces);
  const all = [...parsed.errors, ...messages];
  followManagementAddress(node);
  return { messages: all, code: all.some((m) => m.startsWith('error:')) ? 1 : 0 };
}

/** The links the applied configuration produces with the NICs' current carrier. */
export function links(node: SimNode): LinkState[] {
  return evaluate(node, networkState(node).applied).links;
}

/** Whether some link that is up with carrier holds the node's own (management) address. */
export function managementReachable(node: SimNode): boolean {
  return links(node).some((l) => l.up && l.carrier && l.addresses.some((a) => a.split('/')[0] === node.ip));
}

/**
 * A node whose management address is gone stops accepting SSH connections (and the ones it had go
 * quiet), until a configuration that brings it back is applied: by `ifreload -a`, or by a boot,
 * which applies the files as they are then. The delay lets the command that cut the node off
 * return its exit status first.
 *
 * While cut off, the node's transport is wrapped: whatever brings the listener up (a boot,
 * `setOnline`, `acceptConnections`) first asks the network, so a node stays unreachable as long
 * as its address does.
 */
export function followManagementAddress(node: SimNode): void {
  const state = networkState(node);
  const reachable = managementReachable(node);
  if (!reachable && !state.cutOff) {
    state.cutOff = true;
    node.sim.options.log(`${node.name}: management address ${node.ip} is down: SSH unreachable`);
    node.sim.scheduler.after(node.sim.options.shutdownDelayMs, () => {
      const real = node.transport;
      if (!node.network?.cutOff || !real || state.realTransport) return;
      state.realTransport = real;
      node.transport = {
        down: () => {
          real.down();
        },
        dropSession: (id) => {
          real.dropSession(id);
        },
        up: () => {
          followManagementAddress(node);
          return Promise.resolve();
        },
      };
      real.down();
    });
  } else if (reachable && state.cutOff) {
    state.cutOff = false;
    node.sim.options.log(`${node.name}: management address ${node.ip} is up again`);
    const real = state.realTransport;
    state.realTransport = undefined;
    if (real) {
      node.transport = real;
      real.up().catch((err: unknown) => {
        node.sim.options.log(`${node.name}: SSH listener did not come back: ${(err as Error).message}`);
      });
    }
  }
}

const macOf = (node: SimNode, n: number): string =>
  `3c:ec:ef:${((node.globalIndex >> 8) & 255).toString(16).padStart(2, '0')}:${(node.globalIndex & 255).toString(16).padStart(2, '0')}:${n.toString(16).padStart(2, '0')}`;

function evaluate(node: SimNode, config: IfaceConfig[]): { links: LinkState[]; messages: string[] } {
  const messages: string[] = [];
  const links = new Map<string, LinkState>();
  const add = (l: Omit<LinkState, 'index'>): LinkState => {
    const link = { ...l, index: links.size + 1 };
    links.set(l.name, link);
    return link;
  };
  add({ name: 'lo', kind: 'loopback', up: true, carrier: true, addresses: ['127.0.0.1/8'], mac: '00:00:00:00:00:00' });
  PHYSICAL_NICS.forEach((name, i) => add({ name, kind: 'ether', up: false, carrier: false, addresses: [], mac: macOf(node, i) }));
  const byName = new Map(config.map((c) => [c.name, c]));
  const failed = (name: string): boolean => node.interfacesDown.has(name) && !PHYSICAL_NICS.includes(name);
  const bringUp = (name: string): LinkState | undefined => {
    const l = links.get(name);
    if (!l) return undefined;
    l.up = true;
    if (l.kind === 'ether') l.carrier = !node.interfacesDown.has(name);
    return l;
  };
  const kindOf = (c: IfaceConfig): IfaceKind => {
    if (c.bridgePorts || /^vmbr\d+$/.test(c.name)) return 'bridge';
    if (c.bondSlaves || /^bond\d+$/.test(c.name)) return 'bond';
    if (c.vlanRawDevice || /\.\d+$/.test(c.name)) return 'vlan';
    return c.name === 'lo' ? 'loopback' : 'ether';
  };
  // ifupdown2 orders by dependency: NICs, bonds, VLANs on them, bridges (whose ports may be any of those), VLANs on bridges.
  const rank = (c: IfaceConfig): number => {
    const kind = kindOf(c);
    if (kind !== 'vlan') return ['loopback', 'ether', 'bond', 'vlan', 'bridge'].indexOf(kind);
    const raw = byName.get(c.vlanRawDevice ?? c.name.slice(0, c.name.lastIndexOf('.')));
    return raw && kindOf(raw) === 'bridge' ? 5 : 3;
  };
  const wanted = config.filter((c) => c.auto).sort((a, b) => rank(a) - rank(b));
  for (const c of wanted) {
    const kind = kindOf(c);
    if (failed(c.name)) {
      messages.push(
        `error: ${c.name}: cmd '/bin/ip link set dev ${c.name} up' failed: returned 2 (RTNETLINK answers: Operation not supported)`,
      );
      continue;
    }
    let link: LinkState | undefined;
    if (kind === 'loopback') link = links.get('lo');
    else if (kind === 'ether') {
      link = bringUp(c.name);
      if (!link) messages.push(`error: ${c.name}: interface not found`);
    } else if (kind === 'bond') {
      link = add({ name: c.name, kind, up: true, carrier: false, addresses: [], mac: macOf(node, 0) });
      for (const s of c.bondSlaves ?? []) {
        const slave = links.get(s)?.kind === 'ether' ? bringUp(s) : undefined;
        if (!slave) messages.push(`warning: ${c.name}: bond slave ${s} does not exist`);
        else {
          slave.master = c.name;
          link.carrier ||= slave.carrier;
        }
      }
    } else if (kind === 'vlan') {
      const rawName = c.vlanRawDevice ?? c.name.slice(0, c.name.lastIndexOf('.'));
      const raw = links.get(rawName);
      if (!raw) {
        messages.push(`error: ${c.name}: vlan-raw-device ${rawName} does not exist`);
        continue;
      }
      if (raw.kind === 'ether') bringUp(rawName);
      link = add({ name: c.name, kind, up: true, carrier: raw.up && raw.carrier, addresses: [], mac: raw.mac, parent: rawName });
    } else {
      link = add({ name: c.name, kind, up: true, carrier: false, addresses: [], mac: macOf(node, 0) });
      for (const p of c.bridgePorts ?? []) {
        const port = links.get(p)?.kind === 'ether' ? bringUp(p) : links.get(p);
        // [approximation] ifupdown2's wording for a missing port is not in the notes.
        if (!port || port.kind === 'bridge') messages.push(`warning: ${c.name}: bridge port ${p} does not exist`);
        else {
          port.master = c.name;
          link.carrier ||= port.up && port.carrier;
        }
      }
    }
    if (!link) continue;
    for (const a of c.addresses) {
      if (validCidr(a)) link.addresses.push(a);
      else messages.push(`error: ${c.name}: invalid address ${a}`);
    }
  }
  return { links: [...links.values()], messages };
}
