import { z } from 'zod';
import type { JobKindOf, PlanStep } from '../../job-kind';
import { clusterStateStep, judgeCluster } from './cluster-health';
import { MAX_WAIT_SECONDS, retryUntilClear, verifyClear } from './retry-until-clear';

export const clusterCheckSpec = z.strictObject({
  /** 0: judge one reading. More: read again every second until healthy or the time is up. */
  waitSeconds: z.number().int('must be an integer').min(0).max(MAX_WAIT_SECONDS).default(0),
});
export type ClusterCheckSpec = z.infer<typeof clusterCheckSpec>;

const problemsOf = (out: Parameters<typeof judgeCluster>[0]) => judgeCluster(out).problems;

/**
 * The rolling upgrade's pre-flight (pve-commands §3.4): quorate with every vote, every member online,
 * an HA manager with quorum and a working master, and on hyper-converged Ceph `HEALTH_OK`.
 * Read-only; the task fails naming each thing that is wrong.
 */
export const clusterCheckJob: JobKindOf<'clustercheck', typeof clusterCheckSpec> = {
  type: 'clustercheck',
  mutating: false,
  description: 'Check the cluster is healthy: quorum and votes, members online, HA manager, Ceph HEALTH_OK',
  spec: clusterCheckSpec,
  plan: (spec) => {
    const step: PlanStep = {
      ...clusterStateStep(),
      description: 'read quorum, membership, HA and Ceph state (read-only)',
      capture: 'cluster',
      timeoutMs: 60_000,
      verify: verifyClear(problemsOf),
    };
    if (spec.waitSeconds > 0) step.retry = retryUntilClear('cluster healthy', problemsOf, spec.waitSeconds);
    return {
      notes: [
        spec.waitSeconds > 0
          ? `reading the cluster state every second for up to ${spec.waitSeconds} s until it is healthy`
          : 'reading the cluster state once',
        'Ceph is checked only where /etc/pve/ceph.conf exists (hyper-converged Ceph), quorum only where /etc/pve/corosync.conf does',
      ],
      steps: [step],
    };
  },
  finish: (_spec, outputs) => {
    const { problems: _none, ...state } = judgeCluster(outputs.cluster ?? { stdout: '', exitCode: null });
    return { result: { healthy: true, ...state } };
  },
};
