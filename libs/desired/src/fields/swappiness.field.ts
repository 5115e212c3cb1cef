import { bootSetting, swappinessSpec, type NodeFacts } from '@pvefleet/jobs';
import type { DesiredField } from '../desired-field';

/** The kernel's own default, which a boot leaves when no sysctl.d file sets vm.swappiness (the seed's table). */
const KERNEL_DEFAULT = 60;

export interface SwappinessObserved {
  /** `sysctl -n vm.swappiness` now. */
  live: number;
  /** What a boot leaves: the last sysctl.d setting, null when none sets it (the kernel's 60). */
  boot: number | null;
  /** The file that setting comes from. */
  bootFrom: string | null;
}

/**
 * vm.swappiness, the seed's advice for ZFS hosts (10 for servers): compliant only when the kernel uses
 * the value now and a boot keeps it. Fixed by the `swappiness` kind.
 */
export const swappinessField: DesiredField<number, SwappinessObserved> = {
  key: 'swappiness',
  description: 'vm.swappiness, now and at boot',
  scope: 'node',
  defaultMode: 'enforce',
  schema: swappinessSpec.shape.swappiness,
  observe(facts: Partial<NodeFacts>) {
    const s = facts.swappiness ?? null;
    if (s === null) return null;
    const boot = bootSetting(s);
    return { live: s.live, boot: boot?.value ?? null, bootFrom: boot?.path ?? null };
  },
  differs(desired, observed) {
    const why: string[] = [];
    if (observed.live !== desired) why.push(`vm.swappiness is ${observed.live}, desired ${desired}`);
    const boot = observed.boot ?? KERNEL_DEFAULT;
    if (boot !== desired) {
      why.push(
        observed.bootFrom === null
          ? `no sysctl.d file sets vm.swappiness: a boot brings back the kernel's ${KERNEL_DEFAULT}`
          : `a boot sets vm.swappiness = ${boot} (${observed.bootFrom})`,
      );
    }
    return why.length ? why.join('; ') : undefined;
  },
  fix(desired, facts) {
    const observed = swappinessField.observe?.(facts) ?? null;
    if (observed && swappinessField.differs?.(desired, observed, facts.collectedAt) === undefined) return [];
    return [{ type: 'swappiness', params: { swappiness: desired } }];
  },
};
