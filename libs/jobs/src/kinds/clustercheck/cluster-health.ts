import type { CapturedOutput } from '../../job-kind';
import { parseCluster } from '../facts/parse/cluster';
import { parseHa } from '../facts/parse/ha';
import { cephHealthProblem, parseCephStatus } from './ceph-status';
import { parseClusterStatus } from './cluster-status';
import { WORKING_MASTER_STATES, parseHaMaster } from './ha-master';
import { sectionScript, sectionScriptStep, splitSections, type Section } from './section-script';

/** Ceph's CLI blocks for minutes when the monitors have no quorum; pveceph gives it 15 s too. */
export const CEPH_STATUS = 'timeout 15 ceph -s --format json';
export const HAS_COROSYNC = '[ -e /etc/pve/corosync.conf ]';
/** Hyper-converged Ceph as PVE sets it up (`pveceph init` writes it; pveceph checks the same file). */
export const HAS_CEPH = '[ -e /etc/pve/ceph.conf ]';

const SECTIONS: Section[] = [
  { name: 'clusterStatus', command: 'pvesh get /cluster/status --output-format json' },
  // Exit 2 when not quorate (pve-commands §3.2): the output is still read.
  { name: 'pvecm', command: 'pvecm status', onlyIf: HAS_COROSYNC },
  { name: 'ha', command: 'ha-manager status' },
  { name: 'ceph', command: CEPH_STATUS, onlyIf: HAS_CEPH },
];

export const clusterStateScript = (): string => sectionScript(SECTIONS);
export const clusterStateStep = () => sectionScriptStep(SECTIONS);

export interface ClusterHealth {
  /** No corosync: a node on its own, nothing cluster-wide to check. */
  standalone: boolean;
  cluster: { name: string; quorate: boolean; expectedVotes: number; totalVotes: number; members: string[] } | null;
  nodes: { name: string; online: boolean }[];
  ha: { quorumOk: boolean; master: string | null; masterState: string | null; services: number } | null;
  ceph: { health: string; checks: string[] } | null;
  problems: string[];
}

/** Reads the script's output and names everything that keeps the cluster from being healthy. */
export function judgeCluster(out: CapturedOutput): ClusterHealth {
  const sections = splitSections(out.stdout);
  const problems: string[] = [];
  const health: ClusterHealth = { standalone: !sections.has('pvecm'), cluster: null, nodes: [], ha: null, ceph: null, problems };

  const statusOut = sections.get('clusterStatus');
  const status = statusOut && statusOut.exitCode === 0 ? parseClusterStatus(statusOut.stdout) : null;
  if (!status) problems.push(unreadable('pvesh get /cluster/status', statusOut));
  else health.nodes = status.nodes.map((n) => ({ name: n.name, online: n.online }));

  const pvecmOut = sections.get('pvecm');
  if (pvecmOut) {
    const c = pvecmOut.exitCode === 0 || pvecmOut.exitCode === 2 ? parseCluster(pvecmOut.stdout) : null;
    if (!c) problems.push(unreadable('pvecm status', pvecmOut));
    else {
      health.cluster = c;
      const name = c.name || status?.cluster?.name || 'the cluster';
      if (!c.quorate || pvecmOut.exitCode === 2)
        problems.push(`cluster ${name} is not quorate (${c.totalVotes} of ${c.expectedVotes} votes)`);
      else if (c.totalVotes !== c.expectedVotes) problems.push(`cluster ${name} has ${c.totalVotes} of ${c.expectedVotes} expected votes`);
    }
  }

  const offline = health.nodes.filter((n) => !n.online).map((n) => n.name);
  if (offline.length === 1) problems.push(`node ${offline[0]} is offline`);
  else if (offline.length > 1) problems.push(`nodes ${offline.join(', ')} are offline`);

  const haOut = sections.get('ha');
  const ha = haOut && haOut.exitCode === 0 ? parseHa(haOut.stdout, '') : null;
  if (!haOut || !ha) problems.push(unreadable('ha-manager status', haOut));
  else {
    const master = parseHaMaster(haOut.stdout);
    health.ha = { quorumOk: ha.quorumOk, master: master?.node ?? null, masterState: master?.state ?? null, services: ha.services.length };
    if (!ha.quorumOk) problems.push('HA manager has no quorum');
    else if (!health.standalone && !master && ha.services.length) problems.push('HA manager has no master');
    else if (master && !WORKING_MASTER_STATES.includes(master.state))
      problems.push(`HA master ${master.node} is not active (${master.state})`);
  }

  const cephOut = sections.get('ceph');
  if (cephOut) {
    const ceph = cephOut.exitCode === 0 ? parseCephStatus(cephOut.stdout) : null;
    if (!ceph) problems.push(cephOut.exitCode === 124 ? 'ceph -s did not answer within 15 s' : unreadable('ceph -s', cephOut));
    else {
      health.ceph = { health: ceph.health, checks: ceph.checks.map((c) => `${c.code}: ${c.message}`) };
      const problem = cephHealthProblem(ceph);
      if (problem) problems.push(problem);
    }
  }
  return health;
}

function unreadable(what: string, out: CapturedOutput | undefined): string {
  if (!out) return `${what} printed nothing`;
  return out.exitCode === 0 ? `cannot read the output of ${what}` : `${what} failed (exit code ${out.exitCode ?? 'unknown'})`;
}
