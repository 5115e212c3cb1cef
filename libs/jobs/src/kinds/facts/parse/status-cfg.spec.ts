import { describe, expect, it } from 'vitest';
import { SECTION_END } from '../facts-script';
import { parseStatusCfg, parseStatusCfgSection } from './status-cfg';

const CFG = `graphite: graphite1
\tserver 10.0.0.50
\tport 2003
\tpath proxmox
\tproto udp

# the InfluxDB 2 API
influxdb: influx1
\tserver influx.example.com
\tport 8086
\tinfluxdbproto https
\torganization ops
\tbucket proxmox
\tverify-certificate 0
\tdisable 1

`;

describe('parseStatusCfg', () => {
  it('reads graphite and influxdb sections as PVE writes them', () => {
    expect(parseStatusCfg(CFG)).toEqual([
      { type: 'graphite', name: 'graphite1', options: { server: '10.0.0.50', port: '2003', path: 'proxmox', proto: 'udp' } },
      {
        type: 'influxdb',
        name: 'influx1',
        options: {
          server: 'influx.example.com',
          port: '8086',
          influxdbproto: 'https',
          organization: 'ops',
          bucket: 'proxmox',
          'verify-certificate': '0',
          disable: '1',
        },
      },
    ]);
  });

  it("keeps the seed's unnamed sections and unknown types as they are", () => {
    expect(parseStatusCfg('graphite:\n   server your-server\n   port 2003\nopentelemetry: otel\n\tserver 10.0.0.9\n')).toEqual([
      { type: 'graphite', name: '', options: { server: 'your-server', port: '2003' } },
      { type: 'opentelemetry', name: 'otel', options: { server: '10.0.0.9' } },
    ]);
  });

  it('the facts section: the file, an absent file ([]), no /etc/pve (null)', () => {
    expect(parseStatusCfgSection(`${CFG}\n${SECTION_END}\n`)).toHaveLength(2);
    expect(parseStatusCfgSection(`\n${SECTION_END}\n`)).toEqual([]);
    expect(parseStatusCfgSection('')).toBeNull();
  });
});
