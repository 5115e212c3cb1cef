import { SpecError } from '@pvefleet/jobs';

/** The parts of a node's desired `upgradePolicy` a rollout request may leave out. */
export interface NodeUpgradePolicy {
  reboot: string;
  downloadOnly: boolean;
}

const POLICY_KEYS = ['reboot', 'downloadOnly'] as const;
const SHOWN = 5;

/**
 * The rollout's aptupgrade params with what the request leaves out taken from the nodes' desired
 * `upgradePolicy`: `reboot` and `downloadOnly` each, when every selected node declares the same value.
 * A rollout runs one policy, so nodes that disagree (or some declaring one and some none) are a 400
 * naming `job.params.<key>` and the nodes: the request must then say. Given keys always win.
 */
export function withDesiredUpgradePolicy(
  params: Record<string, unknown>,
  policies: ReadonlyMap<string, NodeUpgradePolicy | undefined>,
): Record<string, unknown> {
  const out = { ...params };
  for (const key of POLICY_KEYS) {
    if (params[key] !== undefined) continue;
    const declared = [...policies].map(([node, p]) => ({ node, value: p?.[key] }));
    if (declared.every((d) => d.value === undefined)) continue;
    const values = new Set(declared.map((d) => d.value));
    if (values.size === 1) {
      out[key] = declared[0]?.value;
      continue;
    }
    const shown = declared.slice(0, SHOWN).map((d) => `${d.node}: ${d.value === undefined ? 'none' : String(d.value)}`);
    const more = declared.length > SHOWN ? `, and ${declared.length - SHOWN} more` : '';
    throw new SpecError([
      {
        field: `job.params.${key}`,
        message: `the selected nodes declare different upgradePolicy.${key} values (${shown.join(', ')}${more}): give job.params.${key}`,
      },
    ]);
  }
  return out;
}
