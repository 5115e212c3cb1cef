import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '@pvefleet/simulator';
import type { ClusterFacts, MetricServerSection } from '../../node-facts';
import { specErrorOf } from '../../spec-error.spec-helper';
import { pveNodeFacts } from '../../testing/node-facts.fixture';
import { runPlan } from '../clustercheck/run-plan.spec-helper';
import { factsScript, splitSections } from '../facts/facts-script';
import { parseFacts } from '../facts/parse-facts';
import { metricServerJob } from './metricserver.job';
import { metricServersDiffer, sectionOf } from './status-cfg-file';

const SERVERS = [
  { type: 'graphite', name: 'graphite1', server: '10.0.0.50', port: 2003, path: 'proxmox', proto: 'udp' },
  {
    type: 'influxdb',
    name: 'influx1',
    server: 'influx.example.com',
    port: 8086,
    influxdbproto: 'https',
    bucket: 'pve',
    verifyCertificate: false,
  },
];
const CFG =
  'graphite: graphite1\n\tpath proxmox\n\tport 2003\n\tproto udp\n\tserver 10.0.0.50\n\ninfluxdb: influx1\n\tbucket pve\n\tinfluxdbproto https\n\tport 8086\n\tserver influx.example.com\n\tverify-certificate 0\n\n';
const quorate: ClusterFacts = { name: 'lab', quorate: true, expectedVotes: 3, totalVotes: 3, members: ['pve1', 'pve2', 'pve3'] };
const facts = (metricServers: MetricServerSection[] | null, cluster: ClusterFacts | null = quorate) =>
  pveNodeFacts(8, { cluster, metricServers });
const spec = (servers: unknown) => metricServerJob.spec.parse({ servers });

describe('metricserver plan', () => {
  it('writes status.cfg as PVE writes it (tab-indented, properties by name) and reads it back', () => {
    const plan = metricServerJob.plan(spec(SERVERS), facts([]));
    expect(plan.steps.map((s) => s.command)).toEqual([
      `cat > /etc/pve/status.cfg <<'PVEFLEET_EOF'\n${CFG}PVEFLEET_EOF`,
      'cat /etc/pve/status.cfg',
    ]);
    expect(plan.notes).toEqual([
      '/etc/pve/status.cfg: missing graphite graphite1, influxdb influx1',
      'writing graphite graphite1, influxdb influx1 (cluster-wide, through this node)',
    ]);
  });

  it('the same servers in another order: reads back only; an empty list empties the file', () => {
    const current = [...SERVERS].reverse().map((s) => sectionOf(metricServerJob.spec.parse({ servers: [s] }).servers[0]));
    expect(metricServerJob.plan(spec(SERVERS), facts(current)).steps.map((s) => s.command)).toEqual(['cat /etc/pve/status.cfg']);
    expect(metricServerJob.plan(spec([]), facts(current)).steps[0].writes).toEqual([{ path: '/etc/pve/status.cfg', content: '\n' }]);
  });

  it('refuses a node without quorum or without /etc/pve; a standalone node writes', () => {
    const noQuorum = { ...quorate, quorate: false, totalVotes: 1 };
    expect(specErrorOf(() => metricServerJob.plan(spec(SERVERS), facts([], noQuorum))).errors[0].message).toBe(
      'cluster lab is not quorate on this node (1 of 3 votes): /etc/pve is read-only, run it on a quorate node',
    );
    expect(specErrorOf(() => metricServerJob.plan(spec(SERVERS), facts(null))).errors[0].message).toMatch(/has no \/etc\/pve/);
    expect(metricServerJob.plan(spec(SERVERS), facts([], null)).steps).toHaveLength(2);
    expect(metricServerJob.plan(spec(SERVERS), pveNodeFacts(8, { cluster: quorate })).steps).toEqual([]);
  });

  it('differences name servers and values', () => {
    const wanted = spec(SERVERS).servers.map(sectionOf);
    const actual: MetricServerSection[] = [
      { type: 'graphite', name: 'graphite1', options: { server: '10.0.0.50', port: '2004', path: 'proxmox' } },
      { type: 'graphite', name: 'old', options: { server: '10.0.0.1' } },
    ];
    expect(metricServersDiffer(wanted, actual)).toBe(
      'missing influxdb influx1; not declared: graphite old; graphite1: port 2004, declared 2003; proto (unset), declared udp',
    );
  });

  it('validates every server, naming the field', () => {
    const issues = (servers: unknown) => metricServerJob.spec.safeParse({ servers }).error?.issues.map((i) => i.path.join('.'));
    expect(issues([{ type: 'graphite', name: 'g1', server: 'bad host;' }])).toEqual(['servers.0.server']);
    expect(issues([{ type: 'graphite', name: 'g1', server: 'h', path: 'a b' }])).toEqual(['servers.0.path']);
    expect(issues([{ type: 'influxdb', name: 'i1', server: 'h', bucket: 'x\n\tserver evil' }])).toEqual(['servers.0.bucket']);
    expect(issues([{ type: 'statsd', name: 's1', server: 'h' }])).toEqual(['servers.0.type']);
    expect(issues([{ type: 'graphite', name: 'g1', server: 'h', token: 'x' }])).toEqual(['servers.0']);
    expect(
      issues([
        { type: 'graphite', name: 'g1', server: 'h' },
        { type: 'influxdb', name: 'g1', server: 'h' },
      ]),
    ).toEqual(['servers.1.name']);
  });
});

describe('metricserver against the simulator', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ controlPort: false, seed: 5, clusters: [{ name: 'lab', nodes: 2, namePrefix: 'pve', pveMajor: 8 }] });
  });
  afterAll(() => sim.stop());

  const nodeFacts = async (node: string) => parseFacts(splitSections((await sim.exec(node, factsScript())).stdout), Date.now());

  it('one node writes the cluster-wide file; every node then reads the servers in its facts', async () => {
    const run = await runPlan(metricServerJob.plan(spec(SERVERS), await nodeFacts('pve1')), (c) => sim.exec('pve1', c));
    expect(run.error).toBeUndefined();
    expect(sim.readFile('pve2', '/etc/pve/status.cfg')).toBe(CFG);
    expect((await nodeFacts('pve2')).metricServers).toEqual(spec(SERVERS).servers.map(sectionOf));
  });
});
