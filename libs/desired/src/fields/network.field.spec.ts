import { parseOrThrow } from '@pvefleet/jobs';
import { describe, expect, it } from 'vitest';
import { INSTALLER_INTERFACES, networkFacts } from '../../../jobs/src/kinds/netconfig/network-facts.fixture';
import { pveNodeFacts } from '../../../jobs/src/testing/node-facts.fixture';
import { networkField } from './network.field';

const value = (v: unknown) => parseOrThrow(networkField.schema, v, 'fields.network.value');
const now = Date.UTC(2026, 10, 1);
const VLAN_BRIDGE = { bridges: [{ name: 'vmbr1', ports: ['eno2'], vlanAware: true }] };
const WITH_VMBR1 = INSTALLER_INTERFACES.replace(
  'source',
  'auto vmbr1\niface vmbr1 inet manual\n\tbridge-ports eno2\n\tbridge-stp off\n\tbridge-fd 0\n\tbridge-vlan-aware yes\n\tbridge-vids 2-4094\n\nsource',
);

describe('network field', () => {
  it('is report-only by default, validated by the netconfig kind own schema under fields.network.value', () => {
    expect(networkField.defaultMode).toBe('report');
    expect(value(VLAN_BRIDGE)).toEqual({
      bridges: [{ name: 'vmbr1', ports: ['eno2'], vlanAware: true }],
      bonds: [],
      vlans: [],
      rollbackAfterSeconds: 120,
    });
    expect(() => value({ bridges: [{ name: 'vmbr1', address: '10.0.0.1' }] })).toThrow(/fields\.network\.value\.bridges\.0\.address/);
    expect(() => value({ vlans: [{ name: 'eno1.5', id: 6 }] })).toThrow(/fields\.network\.value\.vlans\.0\.id/);
  });

  it('observes the bridges, bonds and VLANs of /etc/network/interfaces and the management interface; unknown without network facts', () => {
    expect(networkField.observe?.(networkFacts())).toEqual({
      management: 'vmbr0',
      interfaces: [
        { kind: 'bridge', name: 'vmbr0', address: '10.0.0.11/16', gateway: '10.0.0.1', ports: ['eno1'], vlanAware: false, vids: null },
      ],
      elsewhere: [],
    });
    expect(networkField.observe?.(pveNodeFacts())).toBeNull();
  });

  it('differs on a missing, changed or extra interface, never on the management bridge it does not name', () => {
    const observe = (text: string) => networkField.observe?.(networkFacts(text)) ?? null;
    const installer = observe(INSTALLER_INTERFACES);
    const applied = observe(WITH_VMBR1);
    if (!installer || !applied) throw new Error('no observation');
    expect(networkField.differs?.(value(VLAN_BRIDGE), installer, now)).toBe('add bridge vmbr1: ports eno2, vlan-aware (vids 2-4094)');
    expect(networkField.differs?.(value(VLAN_BRIDGE), applied, now)).toBeUndefined();
    expect(networkField.differs?.(value({ bridges: [{ name: 'vmbr1', ports: ['eno2'] }] }), applied, now)).toBe(
      'change vmbr1: vlanAware true → false, vids 2-4094 → none',
    );
    expect(networkField.differs?.(value({}), applied, now)).toBe('remove bridge vmbr1: ports eno2, vlan-aware (vids 2-4094)');
    expect(networkField.differs?.(value({}), installer, now)).toBeUndefined();
  });

  it('fixes with one netconfig task carrying the value, and none when compliant or unknown', () => {
    expect(networkField.fix?.(value(VLAN_BRIDGE), networkFacts())).toEqual([{ type: 'netconfig', params: value(VLAN_BRIDGE) }]);
    expect(networkField.fix?.(value(VLAN_BRIDGE), networkFacts(WITH_VMBR1))).toEqual([]);
    expect(networkField.fix?.(value(VLAN_BRIDGE), pveNodeFacts())).toEqual([]);
    // Declared in interfaces.d: drift a person resolves, no task the kind would refuse.
    const sdn = networkFacts(INSTALLER_INTERFACES, [
      ['/etc/network/interfaces.d/sdn', 'auto vmbr1\niface vmbr1 inet manual\n\tbridge-ports eno2\n'],
    ]);
    expect(
      networkField.differs?.(value(VLAN_BRIDGE), networkField.observe?.(sdn) ?? { management: null, interfaces: [], elsewhere: [] }, now),
    ).toBe('vmbr1 is declared in /etc/network/interfaces.d/sdn, which pvefleet leaves alone');
    expect(networkField.fix?.(value(VLAN_BRIDGE), sdn)).toEqual([]);
  });
});
