import { describe, expect, it } from 'vitest';
import { interfacesOf, netmaskBits, parseInterfacesBlocks, parseLinks, parseNetwork } from './network-interfaces';

const files = (...f: [string, string][]) => f.map(([path, content]) => `==> ${path} <==\n${content}`).join('');

/** The seed's "Use a bond as bridge port" example, old Debian keys and all. */
const SEED_BOND_BRIDGE = `auto lo
iface lo inet loopback

iface eno1 inet manual

iface eno2 inet manual

auto bond0
iface bond0 inet manual
      slaves eno1 eno2
      bond_miimon 100
      bond_mode 802.3ad
      bond_xmit_hash_policy layer2+3

auto vmbr0
iface vmbr0 inet static
        address  10.10.10.2
        netmask  255.255.255.0
        gateway  10.10.10.1
        bridge_ports bond0
        bridge_stp off
        bridge_fd 0
`;

/** PVE 7+'s own spelling: CIDR addresses, dashed keys, a VLAN-aware bridge and `source`. */
const PVE_MODERN = `auto lo
iface lo inet loopback

iface eno1 inet manual

auto vmbr0
iface vmbr0 inet static
\taddress 10.0.0.11/16
\tgateway 10.0.0.1
\tbridge-ports eno1
\tbridge-stp off
\tbridge-fd 0
\tbridge-vlan-aware yes
\tbridge-vids 2-4094

iface vmbr0 inet6 static
\taddress fd00::11/64

source /etc/network/interfaces.d/*
`;

describe('network facts: /etc/network/interfaces', () => {
  it("reads the seed's bond-as-bridge-port example with its old keys", () => {
    const net = parseNetwork(files(['/etc/network/interfaces', SEED_BOND_BRIDGE]), '');
    expect(net?.management).toBe('vmbr0');
    expect(net?.links).toBeNull();
    expect(net?.interfaces.map((i) => [i.name, i.kind, i.auto, i.method])).toEqual([
      ['lo', 'loopback', true, 'loopback'],
      ['eno1', 'other', false, 'manual'],
      ['eno2', 'other', false, 'manual'],
      ['bond0', 'bond', true, 'manual'],
      ['vmbr0', 'bridge', true, 'static'],
    ]);
    const byName = new Map(net?.interfaces.map((i) => [i.name, i]));
    expect(byName.get('bond0')?.bond).toEqual({ slaves: ['eno1', 'eno2'], mode: '802.3ad', xmitHashPolicy: 'layer2+3', miimon: 100 });
    expect(byName.get('vmbr0')).toMatchObject({
      addresses: ['10.10.10.2/24'],
      gateway: '10.10.10.1',
      bridge: { ports: ['bond0'], vlanAware: false, vids: null },
      file: '/etc/network/interfaces',
    });
  });

  it('reads a VLAN-aware bridge, inet6 addresses, and VLAN interfaces from a sourced interfaces.d file', () => {
    const net = parseNetwork(
      files(
        ['/etc/network/interfaces', PVE_MODERN],
        [
          '/etc/network/interfaces.d/vlans',
          'auto vmbr0.10\niface vmbr0.10 inet static\n\taddress 10.10.0.11/24\n\nauto vlan20\niface vlan20 inet manual\n\tvlan-raw-device eno2\n\tvlan-id 20\n',
        ],
      ),
      '',
    );
    const byName = new Map(net?.interfaces.map((i) => [i.name, i]));
    expect(byName.get('vmbr0')).toMatchObject({
      method: 'static',
      addresses: ['10.0.0.11/16', 'fd00::11/64'],
      bridge: { ports: ['eno1'], vlanAware: true, vids: '2-4094' },
    });
    expect(byName.get('vmbr0.10')).toMatchObject({
      kind: 'vlan',
      auto: true,
      vlan: { rawDevice: 'vmbr0', id: 10 },
      file: '/etc/network/interfaces.d/vlans',
    });
    expect(byName.get('vlan20')).toMatchObject({ kind: 'vlan', vlan: { rawDevice: 'eno2', id: 20 } });
    // The raw files are kept byte-exact, so a plan can put them back.
    expect(net?.files.map((f) => f.path)).toEqual(['/etc/network/interfaces', '/etc/network/interfaces.d/vlans']);
    expect(net?.files[0].content).toBe(PVE_MODERN);
  });

  it('reads interfaces.d files only when a source line includes them', () => {
    const main = PVE_MODERN.replace(/^source .*\n/m, '');
    const ifaces = interfacesOf([
      { path: '/etc/network/interfaces', content: main },
      { path: '/etc/network/interfaces.d/sdn', content: 'auto vmbr9\niface vmbr9 inet manual\n\tbridge-ports none\n' },
    ]);
    expect(ifaces.map((i) => i.name)).toEqual(['lo', 'eno1', 'vmbr0']);
    const withDir = interfacesOf([
      { path: '/etc/network/interfaces', content: `${main}source-directory interfaces.d\n` },
      { path: '/etc/network/interfaces.d/sdn', content: 'auto vmbr9\niface vmbr9 inet manual\n\tbridge-ports none\n' },
    ]);
    expect(withDir.find((i) => i.name === 'vmbr9')?.bridge).toEqual({ ports: [], vlanAware: false, vids: null });
  });

  it('is null without /etc/network/interfaces, and has no management interface without a gateway', () => {
    expect(parseNetwork('', '')).toBeNull();
    expect(parseNetwork(files(['/etc/network/interfaces.d/x', 'auto lo\n']), '')).toBeNull();
    expect(parseNetwork(files(['/etc/network/interfaces', 'auto lo\niface lo inet loopback\n']), '[]')).toMatchObject({
      management: null,
      links: [],
    });
  });

  it('keeps comments and unknown lines in blocks, so a rewrite leaves them as written', () => {
    const blocks = parseInterfacesBlocks(
      '# top\nauto lo vmbr0\niface vmbr0 inet static\n\taddress 1.2.3.4/24\n# about ports\n\tbridge-ports eno1\n\n# trailing\nsource x\n',
    );
    expect(blocks).toEqual([
      { type: 'text', lines: ['# top'] },
      { type: 'auto', keyword: 'auto', names: ['lo', 'vmbr0'], line: 'auto lo vmbr0' },
      {
        type: 'iface',
        name: 'vmbr0',
        family: 'inet',
        method: 'static',
        options: [
          { rawKey: 'address', key: 'address', value: '1.2.3.4/24' },
          { rawKey: 'bridge-ports', key: 'bridge-ports', value: 'eno1' },
        ],
        lines: ['iface vmbr0 inet static', '\taddress 1.2.3.4/24', '# about ports', '\tbridge-ports eno1'],
      },
      { type: 'text', lines: ['', '# trailing'] },
      { type: 'source', keyword: 'source', pattern: 'x', line: 'source x' },
    ]);
  });

  it('reads ip -j addr: state, master and addresses per link', () => {
    const json = JSON.stringify([
      { ifindex: 1, ifname: 'lo', operstate: 'UNKNOWN', addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8 }] },
      { ifindex: 2, ifname: 'eno1', operstate: 'UP', master: 'vmbr0', addr_info: [] },
      { ifindex: 4, ifname: 'vmbr0', operstate: 'UP', addr_info: [{ family: 'inet', local: '10.0.0.11', prefixlen: 16 }] },
    ]);
    expect(parseLinks(json)).toEqual([
      { name: 'lo', state: 'UNKNOWN', master: null, addresses: ['127.0.0.1/8'] },
      { name: 'eno1', state: 'UP', master: 'vmbr0', addresses: [] },
      { name: 'vmbr0', state: 'UP', master: null, addresses: ['10.0.0.11/16'] },
    ]);
    expect(parseLinks('Object "addr" is unknown')).toBeNull();
    expect(netmaskBits('255.255.240.0')).toBe(20);
  });
});
