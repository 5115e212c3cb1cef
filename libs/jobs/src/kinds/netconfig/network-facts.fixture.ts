import type { NodeFacts } from '../../node-facts';
import { pveNodeFacts } from '../../testing/node-facts.fixture';
import { parseNetwork } from '../facts/parse/network-interfaces';

/** A fresh PVE install's /etc/network/interfaces (the installer's vmbr0 over eno1), as the simulator writes it. */
export const INSTALLER_INTERFACES = `auto lo
iface lo inet loopback

iface eno1 inet manual

auto vmbr0
iface vmbr0 inet static
\taddress 10.0.0.11/16
\tgateway 10.0.0.1
\tbridge-ports eno1
\tbridge-stp off
\tbridge-fd 0

source /etc/network/interfaces.d/*
`;

interface Link {
  ifname: string;
  operstate: string;
  master?: string;
  addr_info: { family: string; local: string; prefixlen: number }[];
}

/** `ip -j addr` of that node: two onboard NICs, vmbr0 holding the management address. */
export const INSTALLER_LINKS: Link[] = [
  { ifname: 'lo', operstate: 'UNKNOWN', addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8 }] },
  { ifname: 'eno1', operstate: 'UP', master: 'vmbr0', addr_info: [] },
  { ifname: 'eno2', operstate: 'DOWN', addr_info: [] },
  { ifname: 'vmbr0', operstate: 'UP', addr_info: [{ family: 'inet', local: '10.0.0.11', prefixlen: 16 }] },
];

/** Facts of a PVE node whose network is `interfaces` (and interfaces.d files), with these links. */
export function networkFacts(
  interfaces = INSTALLER_INTERFACES,
  extraFiles: [string, string][] = [],
  links: Link[] | null = INSTALLER_LINKS,
): NodeFacts {
  const files = [['/etc/network/interfaces', interfaces], ...extraFiles].map(([p, c]) => `==> ${p} <==\n${c}`).join('');
  return pveNodeFacts(8, { network: parseNetwork(files, links ? JSON.stringify(links) : '') });
}
