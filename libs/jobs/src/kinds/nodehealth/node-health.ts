import type { CapturedOutput } from '../../job-kind';
import { parseCluster } from '../facts/parse/cluster';
import { parseHa } from '../facts/parse/ha';
import { CEPH_STATUS, HAS_CEPH, HAS_COROSYNC } from '../clustercheck/cluster-health';
import { parseCephStatus, uncleanPgsProblem } from '../clustercheck/ceph-status';
import { sectionScript, sectionScriptStep, splitSections, type Section } from '../clustercheck/section-script';
import { parseOsdTree, type OsdState } from './osd-tree';
import { PVE_UNITS, parseUnitStates } from './service-states';

/** `ceph`: true checks Ceph, false skips it, undefined checks it where /etc/pve/ceph.conf exists. */
export function nodeHealthScript(ceph: boolean | undefined): string {
  return sectionScript(nodeHealthSections(ceph));
}

/** The script as a step, logged without its markers. */
export function nodeHealthStep(ceph: boolean | undefined) {
  return sectionScriptStep(nodeHealthSections(ceph));
}

function nodeHealthSections(ceph: boolean | undefined): Section[] {
  const onlyIf = ceph === undefined ? HAS_CEPH : undefined;
  const sections: Section[] = [
    { name: 'hostname', command: 'hostname' },
    { name: 'services', command: `systemctl is-active ${PVE_UNITS.join(' ')}` },
    { name: 'pvecm', command: 'pvecm status', onlyIf: HAS_COROSYNC },
    { name: 'ha', command: 'ha-manager status' },
  ];
  if (ceph !== false) {
    sections.push(
      { name: 'osdTree', command: 'timeout 15 ceph osd tree --format json', onlyIf },
      { name: 'ceph', command: CEPH_STATUS, onlyIf },
    );
  }
  return sections;
}

export interface NodeHealth {
  node: string;
  services: Record<string, string>;
  cluster: { name: string; quorate: boolean; inMembership: boolean } | null;
  lrmState: string | null;
  ceph: { osds: OsdState[]; pgs: { total: number; activeClean: number } } | null;
  problems: string[];
}

/** LRM states that mean the node's HA agent is not running (pve-outputs §6.3). */
const DEAD_LRM = /dead|unable to read|time drift/;

/** Names everything about this node that is not back yet after a reboot. */
export function judgeNode(out: CapturedOutput): NodeHealth {
  const s = splitSections(out.stdout);
  const node = s.get('hostname')?.stdout.trim().split('.')[0] ?? '';
  const problems: string[] = [];
  const clustered = s.has('pvecm');
  const units = PVE_UNITS.filter((u) => clustered || u !== 'corosync');
  const services = parseUnitStates(s.get('services')?.stdout ?? '', PVE_UNITS);
  const health: NodeHealth = { node, services, cluster: null, lrmState: null, ceph: null, problems };
  const inactive = units.filter((u) => services[u] !== 'active');
  if (inactive.length) problems.push(inactive.map((u) => `${u} is ${services[u]}`).join(', '));

  const pvecmOut = s.get('pvecm');
  if (pvecmOut) {
    const c = parseCluster(pvecmOut.stdout);
    const inMembership = /\(local\)\s*$/m.test(pvecmOut.stdout);
    if (!c) problems.push(`pvecm status failed (exit code ${pvecmOut.exitCode ?? 'unknown'})`);
    else {
      health.cluster = { name: c.name, quorate: c.quorate && pvecmOut.exitCode === 0, inMembership };
      if (!health.cluster.quorate) problems.push(`cluster ${c.name} is not quorate (${c.totalVotes} of ${c.expectedVotes} votes)`);
      else if (!inMembership) problems.push(`${node || 'this node'} is not in the cluster membership`);
    }
  }

  const ha = parseHa(s.get('ha')?.stdout ?? '', node);
  health.lrmState = ha?.lrmState ?? null;
  if (health.lrmState && DEAD_LRM.test(health.lrmState)) problems.push(`lrm ${node} is ${health.lrmState}`);

  const treeOut = s.get('osdTree');
  const cephOut = s.get('ceph');
  if (treeOut || cephOut) {
    const tree = treeOut?.exitCode === 0 ? parseOsdTree(treeOut.stdout) : null;
    const status = cephOut?.exitCode === 0 ? parseCephStatus(cephOut.stdout) : null;
    if (!tree) problems.push(cephFailure('ceph osd tree', treeOut));
    if (!status) problems.push(cephFailure('ceph -s', cephOut));
    const osds = tree?.get(node) ?? [];
    const down = osds.filter((o) => o.status !== 'up');
    if (down.length)
      problems.push(
        `${down.map((o) => o.name).join(', ')} on ${node} ${down.length > 1 ? 'are' : 'is'} ${[...new Set(down.map((o) => o.status))].join('/')}`,
      );
    const unclean = status ? uncleanPgsProblem(status) : undefined;
    if (unclean) problems.push(unclean);
    const activeClean = status?.pgs.byState.find((p) => p.state === 'active+clean')?.count ?? 0;
    health.ceph = { osds, pgs: { total: status?.pgs.total ?? 0, activeClean } };
  }
  return health;
}

function cephFailure(what: string, out: CapturedOutput | undefined): string {
  if (!out) return `${what} printed nothing`;
  if (out.exitCode === 124) return `${what} did not answer within 15 s`;
  return out.exitCode === 0 ? `cannot read the output of ${what}` : `${what} failed (exit code ${out.exitCode ?? 'unknown'})`;
}
