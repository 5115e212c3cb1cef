import { packageList, type NodeFacts } from '@pvefleet/jobs';
import type { DesiredField } from '../desired-field';

/**
 * The exact set of packages on hold (`apt-mark hold`), e.g. ["proxmox-ve"] to keep a node on its
 * release. The value is the whole set: a package held on the node but not declared is drift too, and
 * the fix releases it (`apt-mark unhold`); [] means nothing may be held. Fixed by the `apthold` kind.
 * Observed: `apt-mark showhold`, sorted.
 */
export const heldPackagesField: DesiredField<string[], string[]> = {
  key: 'heldPackages',
  description: 'the packages on hold (apt-mark showhold)',
  scope: 'node',
  defaultMode: 'enforce',
  schema: packageList,
  observe(facts: Partial<NodeFacts>) {
    return facts.heldPackages ?? null;
  },
  differs(desired, observed) {
    const { hold, unhold } = changes(desired, observed);
    const why = [
      ...(hold.length ? [`not held: ${hold.join(', ')}`] : []),
      ...(unhold.length ? [`held but not declared: ${unhold.join(', ')}`] : []),
    ];
    return why.length ? why.join('; ') : undefined;
  },
  fix(desired, facts) {
    const { hold, unhold } = changes(desired, facts.heldPackages ?? []);
    return hold.length || unhold.length ? [{ type: 'apthold', params: { hold, unhold } }] : [];
  },
};

function changes(desired: readonly string[], held: readonly string[]): { hold: string[]; unhold: string[] } {
  return { hold: desired.filter((p) => !held.includes(p)), unhold: held.filter((p) => !desired.includes(p)) };
}
