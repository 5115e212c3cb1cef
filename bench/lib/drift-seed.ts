// The fleet bench:drift measures: nodes with facts as PVE 8 reports them and their observations,
// written server-side, and the three profiles over them.
import type { NodeFacts } from '@pvefleet/jobs';
import type pg from 'pg';
import { observeAll } from '../../libs/desired/src/drift';
import { pveNodeFacts } from '../../libs/jobs/src/testing/node-facts.fixture';

/** Facts as a PVE 8 node reports them, varied so the fleet has compliant and drifting nodes of each field. */
function factsOf(i: number, name: string, clusters: number): NodeFacts {
  const channel = i % 7 === 0 ? 'pve-enterprise' : 'pve-no-subscription';
  const host = channel === 'pve-enterprise' ? 'enterprise.proxmox.com' : 'download.proxmox.com';
  return pveNodeFacts(8, {
    hostname: name,
    collectedAt: Date.now(),
    aptSources: [
      { path: '/etc/apt/sources.list', content: 'deb http://deb.debian.org/debian bookworm main contrib\n' },
      { path: `/etc/apt/sources.list.d/${channel}.list`, content: `deb https://${host}/debian/pve bookworm ${channel}\n` },
    ],
    time: {
      daemon: 'chrony',
      synced: true,
      leapStatus: 'Normal',
      selectedSource: 'ntp1.example.com',
      chronyConf: `confdir /etc/chrony/conf.d\n${i % 5 === 0 ? 'pool 2.debian.pool.ntp.org iburst\n' : '#pool 2.debian.pool.ntp.org iburst\n'}sourcedir /etc/chrony/sources.d\n`,
      chronySources: [
        { path: '/etc/chrony/sources.d/pvefleet.sources', content: 'server ntp1.example.com iburst\nserver ntp2.example.com iburst\n' },
      ],
      timesyncdConf: null,
    },
    cluster: { name: `c${i % clusters}`, quorate: true, expectedVotes: 20, totalVotes: 20, members: [] },
  });
}

/** The fleet, written server-side in batches (one INSERT … SELECT FROM unnest per 1,000 nodes). */
export async function seedDriftNodes(pool: pg.Pool, nodes: number, clusters: number): Promise<void> {
  for (let start = 0; start < nodes; start += 1_000) {
    const names: string[] = [];
    const labels: string[] = [];
    const facts: string[] = [];
    const observed: string[] = [];
    for (let i = start; i < Math.min(nodes, start + 1_000); i++) {
      const name = `pve${String(i).padStart(5, '0')}`;
      const f = factsOf(i, name, clusters);
      names.push(name);
      labels.push(JSON.stringify({ site: i % 3 === 0 ? 'fra' : 'ams' }));
      facts.push(JSON.stringify(f));
      observed.push(JSON.stringify(observeAll(f)));
    }
    await pool.query(
      `INSERT INTO node (name, host, port, credential_type, credential, labels, facts, facts_at, observed, updated_at)
       SELECT u.name, '192.0.2.1', 22, 'password', 'sealed', u.labels, u.facts, now(), u.observed, now()
         FROM unnest($1::text[], $2::jsonb[], $3::jsonb[], $4::jsonb[]) AS u(name, labels, facts, observed)`,
      [names, labels, facts, observed],
    );
  }
  await pool.query('VACUUM ANALYZE node');
}

/** The three profiles: every node, one site's label (higher priority), a tenth of the clusters. */
export const driftProfiles = (clusters: number, ntpServers: string[]) => [
  {
    name: 'base',
    description: 'every node',
    selector: { all: true },
    priority: 0,
    fields: {
      repos: { value: { channel: 'no-subscription' } },
      ntp: { value: { servers: ['ntp1.example.com', 'ntp2.example.com'], keepDefaultPool: false } },
    },
  },
  {
    name: 'fra',
    description: 'the fra site',
    selector: { labels: { site: 'fra' } },
    priority: 10,
    fields: { ntp: { value: { servers: ntpServers, keepDefaultPool: false } } },
  },
  {
    name: 'test-clusters',
    description: 'clusters on the test channel',
    selector: { clusters: Array.from({ length: Math.max(1, Math.round(clusters / 10)) }, (_, i) => `c${i}`) },
    priority: 5,
    fields: { repos: { value: { channel: 'test' } } },
  },
];
