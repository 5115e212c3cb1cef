import type { JobKindOf } from '../../job-kind';
import { netconfigSpec } from './netconfig-spec';
import { planNetconfig } from './netconfig-plan';
import { networkTarget } from './network-target';

/**
 * The host network (bridges, bonds, VLAN interfaces in /etc/network/interfaces) by a confirmed
 * apply: the node rolls itself back unless pvefleet reaches it on a new connection and sees the new
 * network within `rollbackAfterSeconds`.
 *
 * No `verifyAfterLoss`: a task whose worker died before it confirmed leaves the node's timer armed,
 * so reading the node back could say OK just before the node rolls itself back; it ends interrupted.
 */
export const netconfigJob: JobKindOf<'netconfig', typeof netconfigSpec> = {
  type: 'netconfig',
  mutating: true,
  readBack: {
    by: 'plan',
    describe:
      "a new SSH connection after ifreload -a, and ip -j addr showing the declared interfaces, addresses and ports, before the node's rollback timer is cancelled",
  },
  usesFacts: true,
  description:
    'Set the host network (bridges, bonds, VLAN interfaces) with a confirmed apply: the node restores its old /etc/network/interfaces by itself unless pvefleet reconnects and sees the new network',
  spec: netconfigSpec,
  plan: planNetconfig,
  finish: (spec, _outputs, { facts }) => {
    const target = networkTarget(spec, facts);
    return {
      result: {
        changes: target.changes,
        declared: target.declared.map((d) => d.name),
        kept: target.kept,
        removed: target.removed,
        applied: target.changes.length > 0,
      },
    };
  },
};
