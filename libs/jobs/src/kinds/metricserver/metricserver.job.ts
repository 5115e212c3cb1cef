import type { JobKindOf, Plan, PlanStep } from '../../job-kind';
import type { MetricServerSection, NodeFacts } from '../../node-facts';
import { SpecError } from '../../spec-error';
import { parseStatusCfg } from '../facts/parse/status-cfg';
import { predatingFactsPlan } from '../facts/predating-facts';
import { writeFileStep } from '../ntp/write-file';
import { metricServerSpec, type MetricServerSpec } from './metricserver-spec';
import { metricServersDiffer, renderStatusCfg, sectionOf, STATUS_CFG } from './status-cfg-file';

function readBack(wanted: MetricServerSection[]): PlanStep {
  return {
    command: `cat ${STATUS_CFG}`,
    description: `read ${STATUS_CFG} back`,
    capture: 'statusCfg',
    okExitCodes: [0, 1],
    verify: (out) => metricServersDiffer(wanted, out.exitCode === 0 ? parseStatusCfg(out.stdout) : []),
  };
}

/** The node's current servers, refusing a node where /etc/pve cannot be written. */
function currentServers(facts: NodeFacts | null): MetricServerSection[] {
  const cluster = facts?.cluster ?? null;
  if (cluster && !cluster.quorate) {
    throw new SpecError([
      {
        field: 'params',
        message: `cluster ${cluster.name} is not quorate on this node (${cluster.totalVotes} of ${cluster.expectedVotes} votes): /etc/pve is read-only, run it on a quorate node`,
      },
    ]);
  }
  const servers = facts?.metricServers;
  if (!servers)
    throw new SpecError([
      { field: 'params', message: `${STATUS_CFG} could not be read: the node has no /etc/pve (not a Proxmox VE node?)` },
    ]);
  return servers;
}

/**
 * The cluster's external metric servers (the seed's "External Metric Server"): /etc/pve/status.cfg is
 * shared by every node through pmxcfs, so one quorate node writes it whole, then reads it back.
 */
export function planMetricServers(spec: MetricServerSpec, facts: NodeFacts | null): Plan {
  if (facts !== null && facts.metricServers === undefined) return predatingFactsPlan(STATUS_CFG);
  const current = currentServers(facts);
  const wanted = spec.servers.map(sectionOf);
  const diff = metricServersDiffer(wanted, current);
  const list = wanted.length ? wanted.map((s) => `${s.type} ${s.name}`).join(', ') : 'no servers';
  if (diff === undefined) return { notes: [`${STATUS_CFG} already lists ${list}: reading it back only`], steps: [readBack(wanted)] };
  return {
    notes: [`${STATUS_CFG}: ${diff}`, `writing ${list} (cluster-wide, through this node)`],
    steps: [writeFileStep(STATUS_CFG, renderStatusCfg(wanted), `write ${STATUS_CFG}`), readBack(wanted)],
  };
}

export const metricServerJob: JobKindOf<'metricserver', typeof metricServerSpec> = {
  type: 'metricserver',
  mutating: true,
  readBack: { by: 'plan', describe: `${STATUS_CFG} is read back and must list exactly the servers asked` },
  usesFacts: true,
  description: 'Write the cluster external metric servers (/etc/pve/status.cfg: graphite, influxdb) through one quorate node',
  spec: metricServerSpec,
  plan: planMetricServers,
  verifyAfterLoss: (spec) => [readBack(spec.servers.map(sectionOf))],
  finish: (spec) => ({ result: { servers: spec.servers.map((s) => s.name), file: STATUS_CFG } }),
};
