import { parseOrThrow, type MetricServerSection } from '@pvefleet/jobs';
import { describe, expect, it } from 'vitest';
import { pveNodeFacts } from '../../../jobs/src/testing/node-facts.fixture';
import { metricServersField } from './metric-servers.field';

const value = (v: unknown) => parseOrThrow(metricServersField.schema, v, 'fields.metricServers.value');
const now = Date.UTC(2026, 10, 1);
const GRAPHITE = { type: 'graphite', name: 'graphite1', server: '10.0.0.50', port: 2003, path: 'proxmox' };
const SECTION: MetricServerSection = {
  type: 'graphite',
  name: 'graphite1',
  options: { server: '10.0.0.50', port: '2003', path: 'proxmox' },
};

describe('metricServers field', () => {
  it("is per cluster; validates with the metricserver kind's own schema, naming the entry", () => {
    expect(metricServersField.scope).toBe('cluster');
    expect(value([GRAPHITE])).toEqual([GRAPHITE]);
    expect(() => value([{ ...GRAPHITE, server: 'a b' }])).toThrow(/^fields\.metricServers\.value\.0\.server: /);
    expect(() => value([{ ...GRAPHITE, proto: 'http' }])).toThrow(/^fields\.metricServers\.value\.0\.proto: /);
    expect(() => value([GRAPHITE, GRAPHITE])).toThrow("fields.metricServers.value.1.name: duplicate name 'graphite1'");
  });

  it('observes the parsed status.cfg; unknown without /etc/pve', () => {
    expect(metricServersField.observe?.(pveNodeFacts(8, { metricServers: [SECTION] }))).toEqual([SECTION]);
    expect(metricServersField.observe?.(pveNodeFacts(8, { metricServers: null }))).toBeNull();
    expect(metricServersField.observe?.(pveNodeFacts())).toBeNull();
  });

  it('differs on missing, undeclared and changed servers, naming values', () => {
    expect(metricServersField.differs?.(value([GRAPHITE]), [SECTION], now)).toBeUndefined();
    expect(metricServersField.differs?.(value([GRAPHITE]), [], now)).toBe('missing graphite graphite1');
    expect(
      metricServersField.differs?.(value([{ ...GRAPHITE, port: 2004 }]), [SECTION, { type: 'influxdb', name: 'x', options: {} }], now),
    ).toBe('not declared: influxdb x; graphite1: port 2003, declared 2004');
    expect(metricServersField.differs?.([], [SECTION], now)).toBe('not declared: graphite graphite1');
  });

  it('fixes with one metricserver task writing the whole list, none when compliant', () => {
    const servers = value([GRAPHITE]);
    expect(metricServersField.fix?.(servers, pveNodeFacts(8, { metricServers: [] }))).toEqual([
      { type: 'metricserver', params: { servers } },
    ]);
    expect(metricServersField.fix?.(servers, pveNodeFacts(8, { metricServers: [SECTION] }))).toEqual([]);
  });
});
