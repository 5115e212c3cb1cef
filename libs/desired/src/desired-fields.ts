import type { AnyDesiredField } from './desired-field';
import { acmeField } from './fields/acme.field';
import { heldPackagesField } from './fields/held-packages.field';
import { lvmThinPoolsField } from './fields/lvmthin-pools.field';
import { metricServersField } from './fields/metric-servers.field';
import { networkField } from './fields/network.field';
import { ntpField } from './fields/ntp.field';
import { reposField } from './fields/repos.field';
import { swappinessField } from './fields/swappiness.field';
import { upgradePolicyField } from './fields/upgrade-policy.field';
import { zfsArcMaxField } from './fields/zfs-arc-max.field';
import { zfsPoolsField } from './fields/zfs-pools.field';

/**
 * Every desired-state field, in the order views list them. Each lives in `fields/<key>.field.ts`
 * and builds its schema from the catalog kind that enforces it.
 */
export const DESIRED_FIELDS: readonly AnyDesiredField[] = [
  reposField,
  ntpField,
  acmeField,
  zfsPoolsField,
  lvmThinPoolsField,
  zfsArcMaxField,
  swappinessField,
  heldPackagesField,
  metricServersField,
  upgradePolicyField,
  networkField,
];

export function desiredField(key: string): AnyDesiredField | undefined {
  return DESIRED_FIELDS.find((f) => f.key === key);
}
