import { describe, expect, it } from 'vitest';
import { planView } from '../../job-kind';
import { parseOrThrow } from '../../spec-error';
import { specErrorOf } from '../../spec-error.spec-helper';
import { CONFIRM_MARKER } from './confirm-check';
import { type NetconfigSpec, netconfigSpec } from './netconfig-spec';
import { netconfigJob } from './netconfig.job';
import { INSTALLER_INTERFACES, INSTALLER_LINKS, networkFacts } from './network-facts.fixture';

const spec = (params: object): NetconfigSpec => parseOrThrow(netconfigSpec, params, 'params');
/** Named after the fixture's facts time (the plan is pure). */
const UNIT = 'pvefleet-netrollback-1793491200000';
const DIR = '/var/lib/pvefleet/backup/netconfig-1793491200000';
const fieldsOf = (fn: () => unknown) => Object.fromEntries(specErrorOf(fn).errors.map((e) => [e.field, e.message]));

/** A VLAN-aware bridge on the second NIC and a VLAN interface on the management bridge. */
const GOOD = {
  bridges: [{ name: 'vmbr1', ports: ['eno2'], vlanAware: true, address: '10.10.10.11/24' }],
  vlans: [{ name: 'vmbr0.10', address: '10.20.0.11/24' }],
};

describe('netconfig: the plan', () => {
  it('adds a VLAN-aware bridge and a VLAN interface, keeping the management bridge and every other line', () => {
    const plan = netconfigJob.plan(spec(GOOD), networkFacts());
    expect(plan.notes).toEqual([
      'add bridge vmbr1: ports eno2, vlan-aware (vids 2-4094), 10.10.10.11/24',
      'add vlan vmbr0.10: tag 10 on vmbr0, 10.20.0.11/24',
    ]);
    const write = plan.steps[2];
    expect(write.writes?.[0]).toEqual({
      path: '/etc/network/interfaces',
      content: `auto lo
iface lo inet loopback

iface eno1 inet manual

auto vmbr0
iface vmbr0 inet static
\taddress 10.0.0.11/16
\tgateway 10.0.0.1
\tbridge-ports eno1
\tbridge-stp off
\tbridge-fd 0

iface eno2 inet manual

auto vmbr1
iface vmbr1 inet static
\taddress 10.10.10.11/24
\tbridge-ports eno2
\tbridge-stp off
\tbridge-fd 0
\tbridge-vlan-aware yes
\tbridge-vids 2-4094

auto vmbr0.10
iface vmbr0.10 inet static
\taddress 10.20.0.11/24

source /etc/network/interfaces.d/*
`,
    });
    expect(plan.steps.map((s) => (s.writes ? 'WRITE' : s.command))).toEqual([
      `mkdir -p ${DIR} && cp -a /etc/network/interfaces ${DIR}/interfaces`,
      `systemd-run --on-active=120 --unit=${UNIT} sh -c 'cp -a ${DIR}/interfaces /etc/network/interfaces && ifreload -a'`,
      'WRITE',
      'ifreload -a',
      `systemctl is-active ${UNIT}.timer; echo ${CONFIRM_MARKER}; ip -j addr`,
      `systemctl stop ${UNIT}.timer`,
      `rm -rf ${DIR}`,
    ]);
    const view = planView(plan);
    expect(view.steps[1].armsRollback).toBe(true);
    expect(view.steps[4].reconnectWaitMs).toBe(60_000);
    expect(view.rollback?.steps[0].reconnectWaitMs).toBe(180_000);
    expect(view.rollback?.done).toBe(
      `network change rolled back by the node: its timer ${UNIT}.timer restored /etc/network/interfaces and ran ifreload -a`,
    );
  });

  it('takes the rollback window from the spec', () => {
    const plan = netconfigJob.plan(spec({ ...GOOD, rollbackAfterSeconds: 300 }), networkFacts());
    expect(plan.steps[1].command).toMatch(/^systemd-run --on-active=300 /);
    expect(plan.steps[4].reconnect).toEqual({ waitMs: 150_000 });
  });

  it('confirms only a timer still armed and links that show the new network', () => {
    const step = netconfigJob.plan(spec(GOOD), networkFacts()).steps[4];
    const links = [
      ...INSTALLER_LINKS.map((l) => (l.ifname === 'eno2' ? { ...l, operstate: 'UP', master: 'vmbr1' } : l)),
      { ifname: 'vmbr1', operstate: 'UP', addr_info: [{ family: 'inet', local: '10.10.10.11', prefixlen: 24 }] },
      { ifname: 'vmbr0.10', operstate: 'UP', addr_info: [{ family: 'inet', local: '10.20.0.11', prefixlen: 24 }] },
    ];
    const out = (timer: string, l: unknown) => ({ stdout: `${timer}\n${CONFIRM_MARKER}\n${JSON.stringify(l)}`, exitCode: 0 });
    expect(step.verify?.(out('active', links), {})).toBeUndefined();
    expect(step.verify?.(out('inactive', links), {})).toBe(
      `the new network could not be confirmed: the node's rollback timer ${UNIT}.timer had fired (inactive) before pvefleet reached the node on a new connection`,
    );
    expect(step.verify?.(out('active', INSTALLER_LINKS), {})).toBe(
      'the node does not show the new network: vmbr1 is missing; vmbr0.10 is missing',
    );
    const wrong = links.map((l) =>
      l.ifname === 'vmbr1' ? { ...l, addr_info: [] } : l.ifname === 'eno2' ? { ...l, master: undefined } : l,
    );
    expect(step.verify?.(out('active', wrong), {})).toBe(
      'the node does not show the new network: vmbr1 does not hold 10.10.10.11/24; eno2 is not in vmbr1',
    );
    expect(netconfigJob.plan(spec(GOOD), networkFacts()).steps[5].verify?.({ stdout: '', exitCode: 5 }, {})).toMatch(
      /fired before pvefleet could cancel it/,
    );
  });

  it('the rollback waits for the node: its timer and service done, the file the saved one', () => {
    const [check] = netconfigJob.plan(spec(GOOD), networkFacts()).rollback?.steps ?? [];
    const read = (states: string, file: string) => ({ stdout: `${states}\n@@pvefleet-file\n${file}`, exitCode: 0 });
    expect(check.command).toBe(`systemctl is-active ${UNIT}.timer ${UNIT}.service; echo @@pvefleet-file; cat /etc/network/interfaces`);
    expect(check.retry?.until(read('active\ninactive', INSTALLER_INTERFACES))).toBe(false);
    expect(check.retry?.until(read('inactive\nactivating', INSTALLER_INTERFACES))).toBe(false);
    expect(check.retry?.until(read('inactive\ninactive', INSTALLER_INTERFACES))).toBe(true);
    expect(check.verify?.(read('inactive\ninactive', INSTALLER_INTERFACES.trimEnd()), {})).toBeUndefined();
    expect(check.verify?.(read('inactive\nfailed', 'auto lo\n'), {})).toMatch(/is not the saved one/);
  });

  it('changes the management bridge in place, keeping its address, gateway and other options', () => {
    const plan = netconfigJob.plan(
      spec({ bridges: [{ name: 'vmbr0', ports: ['eno1'], vlanAware: true, vids: '10 20 100-199' }] }),
      networkFacts(),
    );
    expect(plan.notes).toEqual(['change vmbr0: vlanAware false → true, vids none → 10 20 100-199']);
    expect(plan.steps[2].writes?.[0].content).toContain(
      'auto vmbr0\niface vmbr0 inet static\n\taddress 10.0.0.11/16\n\tgateway 10.0.0.1\n\tbridge-ports eno1\n\tbridge-vlan-aware yes\n\tbridge-vids 10 20 100-199\n\tbridge-stp off\n\tbridge-fd 0\n\nsource',
    );
  });

  it("rewrites the seed's bond example: old keys become PVE's, the bond's mode changes, a removed bridge goes", () => {
    const seed =
      'auto lo\niface lo inet loopback\n\niface eno1 inet manual\n\niface eno2 inet manual\n\n# storage\nauto bond0\niface bond0 inet manual\n      slaves eno1 eno2\n      bond_miimon 100\n      bond_mode 802.3ad\n      bond_xmit_hash_policy layer2+3\n\nauto vmbr0\niface vmbr0 inet static\n        address  10.10.10.2\n        netmask  255.255.255.0\n        gateway  10.10.10.1\n        bridge_ports bond0\n        bridge_stp off\n        bridge_fd 0\n\nauto vmbr7\niface vmbr7 inet manual\n        bridge_ports none\n';
    const facts = networkFacts(seed, [], null);
    const plan = netconfigJob.plan(spec({ bonds: [{ name: 'bond0', slaves: ['eno1', 'eno2'], mode: 'active-backup' }] }), facts);
    expect(plan.notes).toEqual([
      'change bond0: mode 802.3ad → active-backup, xmitHashPolicy layer2+3 → none',
      'remove bridge vmbr7: ports none',
    ]);
    expect(plan.steps[2].writes?.[0].content).toBe(
      'auto lo\niface lo inet loopback\n\niface eno1 inet manual\n\niface eno2 inet manual\n\n# storage\nauto bond0\niface bond0 inet manual\n\tbond-slaves eno1 eno2\n\tbond-miimon 100\n\tbond-mode active-backup\n\nauto vmbr0\niface vmbr0 inet static\n        address  10.10.10.2\n        netmask  255.255.255.0\n        gateway  10.10.10.1\n        bridge_ports bond0\n        bridge_stp off\n        bridge_fd 0\n',
    );
    // vmbr0 stands on bond0: kept as it is, and so is the bond unless the spec names it.
    expect(netconfigJob.plan(spec({}), facts).notes).toEqual(['remove bridge vmbr7: ports none']);
  });

  it('plans nothing when the node already is as declared', () => {
    const applied = netconfigJob.plan(spec(GOOD), networkFacts()).steps[2].writes?.[0].content ?? '';
    expect(netconfigJob.plan(spec(GOOD), networkFacts(applied))).toEqual({
      steps: [],
      notes: ['the network is as declared: nothing to change'],
    });
  });
});

describe('netconfig: refusals', () => {
  it('validates names, addresses, tags and modes by field', () => {
    expect(
      fieldsOf(() =>
        spec({
          bridges: [
            { name: 'br0', ports: ['eno1;reboot'] },
            { name: 'vmbr2', address: '10.0.0.300/24', vids: '2-4094' },
            { name: 'vmbr3', ports: ['vmbr2'], gateway: '10.0.0.1' },
          ],
          bonds: [{ name: 'bond0', slaves: ['eno1'], mode: 'active-backup', xmitHashPolicy: 'layer3+4' }],
          vlans: [{ name: 'vlan7' }, { name: 'eno1.5000' }],
          rollbackAfterSeconds: 5,
        }),
      ),
    ).toEqual({
      'params.bridges.0.name': 'must be a bridge name vmbr0 - vmbr4094',
      'params.bridges.0.ports.0': expect.stringMatching(/^must be an interface name/) as string,
      'params.bridges.1.address': 'must be an IPv4 address with its prefix length (a.b.c.d/n, n 0-32)',
      'params.bridges.1.vids': 'vids need vlanAware: true',
      'params.bridges.2.gateway': 'a gateway needs an address on the same interface',
      'params.bridges.2.ports.0': 'a bridge cannot be a port of another bridge',
      'params.bonds.0.xmitHashPolicy': 'applies to 802.3ad and balance-xor only, not active-backup',
      'params.vlans.0.name': 'name the VLAN DEVICE.TAG (e.g. eno1.50), or give rawDevice and id',
      'params.vlans.1.name': 'the VLAN tag must be 1-4094',
      'params.rollbackAfterSeconds': 'must be at least 30',
    });
    expect(
      fieldsOf(() =>
        spec({
          bridges: [
            { name: 'vmbr2', vids: '2-4094' },
            { name: 'vmbr3', ports: ['vmbr2', 'eno1'], gateway: '10.0.0.1' },
            { name: 'vmbr3', ports: ['eno1'] },
          ],
          bonds: [{ name: 'bond0', slaves: ['eno2'], mode: 'active-backup', xmitHashPolicy: 'layer3+4' }],
          vlans: [{ name: 'vlan7' }, { name: 'eno1.50', id: 51 }],
        }),
      ),
    ).toEqual({
      'params.bridges.1.gateway': 'a gateway needs an address on the same interface',
      'params.bridges.2.name': 'vmbr3 is declared twice (also bridges.1)',
      'params.bridges.0.vids': 'vids need vlanAware: true',
      'params.bridges.1.ports.0': 'a bridge cannot be a port of another bridge',
      'params.bridges.2.ports.0': 'eno1 is already a port of vmbr3',
      'params.bonds.0.xmitHashPolicy': 'applies to 802.3ad and balance-xor only, not active-backup',
      'params.vlans.0.name': 'name the VLAN DEVICE.TAG (e.g. eno1.50), or give rawDevice and id',
      'params.vlans.1.id': 'the name eno1.50 already says its tag is 50',
    });
  });

  it('refuses ports the node lacks, interfaces owned by interfaces.d, and a second gateway beside the kept one', () => {
    const facts = networkFacts(INSTALLER_INTERFACES, [
      ['/etc/network/interfaces.d/sdn', 'auto vmbr9\niface vmbr9 inet manual\n\tbridge-ports none\n'],
    ]);
    expect(
      fieldsOf(() =>
        netconfigJob.plan(
          spec({
            bridges: [
              { name: 'vmbr1', ports: ['eno7'], address: '10.1.0.1/24', gateway: '10.1.0.254' },
              { name: 'vmbr9', ports: ['eno1'] },
            ],
            vlans: [{ name: 'eno5.20' }],
          }),
          facts,
        ),
      ),
    ).toEqual({
      'params.bridges.1.name':
        'vmbr9 is declared in /etc/network/interfaces.d/sdn: pvefleet writes /etc/network/interfaces only and leaves sourced files alone',
      'params.bridges.0.ports.0': 'eno7 is not an interface on the node (it has lo, eno1, eno2, vmbr0)',
      'params.bridges.1.ports.0': 'eno1 is a port of vmbr0, which carries the management interface and is kept as it is',
      'params.vlans.0.name': 'its device eno5 is not an interface on the node',
      'params.bridges.0.gateway': 'vmbr0, the management interface kept as it is, has the default gateway 10.0.0.1',
    });
    expect(fieldsOf(() => netconfigJob.plan(spec(GOOD), null))).toEqual({
      params: 'the node has no network facts (no /etc/network/interfaces, or facts read before pvefleet knew the network)',
    });
  });
});
