import { z } from 'zod';
import type { JobKindOf } from '../../job-kind';
import { MAX_WAIT_SECONDS, retryUntilClear, verifyClear } from '../clustercheck/retry-until-clear';
import { judgeNode, nodeHealthStep } from './node-health';

export const nodeHealthSpec = z.strictObject({
  waitSeconds: z.number().int('must be an integer').min(0).max(MAX_WAIT_SECONDS).default(600),
  /** Check this node's OSDs and the placement groups; absent: wherever /etc/pve/ceph.conf exists. */
  ceph: z.boolean().optional(),
});
export type NodeHealthSpec = z.infer<typeof nodeHealthSpec>;

const problemsOf = (out: Parameters<typeof judgeNode>[0]) => judgeNode(out).problems;

/**
 * Whether a node is back after a reboot (pve-commands §3.4 step 4): its PVE services active, the
 * cluster quorate with the node in it, its HA agent alive, and on Ceph its OSDs up with every
 * placement group active+clean. Read-only; waits until all hold or names what still does not.
 */
export const nodeHealthJob: JobKindOf<'nodehealth', typeof nodeHealthSpec> = {
  type: 'nodehealth',
  mutating: false,
  description: 'Wait until the node is healthy again: PVE services, quorum membership, HA agent, Ceph OSDs and PGs',
  spec: nodeHealthSpec,
  plan: (spec) => ({
    notes: [
      `reading the node's state every second for up to ${spec.waitSeconds} s until it is healthy`,
      spec.ceph === undefined
        ? 'Ceph OSDs and placement groups are checked where /etc/pve/ceph.conf exists'
        : spec.ceph
          ? 'checking Ceph OSDs and placement groups'
          : 'not checking Ceph (ceph: false)',
    ],
    steps: [
      {
        ...nodeHealthStep(spec.ceph),
        description: 'read services, quorum, HA and Ceph state (read-only)',
        capture: 'health',
        timeoutMs: 60_000,
        retry: retryUntilClear('node healthy', problemsOf, spec.waitSeconds),
        verify: verifyClear(problemsOf),
      },
    ],
  }),
  finish: (_spec, outputs) => {
    const { problems: _none, ...state } = judgeNode(outputs.health ?? { stdout: '', exitCode: null });
    return { result: { healthy: true, ...state } };
  },
};
