import { describe, expect, it } from 'vitest';
import { specErrorOf } from '../../jobs/src/spec-error.spec-helper';
import { withDesiredUpgradePolicy, type NodeUpgradePolicy } from './desired-upgrade-policy';

const never: NodeUpgradePolicy = { reboot: 'never', downloadOnly: false };
const ifRequired: NodeUpgradePolicy = { reboot: 'if-required', downloadOnly: false };
const policies = (...ps: (NodeUpgradePolicy | undefined)[]) => new Map(ps.map((p, i) => [`pve${i + 1}`, p]));

describe('withDesiredUpgradePolicy', () => {
  it('takes what the request leaves out from the policy every node declares', () => {
    expect(withDesiredUpgradePolicy({}, policies(never, never))).toEqual({ reboot: 'never', downloadOnly: false });
    expect(withDesiredUpgradePolicy({ guests: 'shutdown' }, policies(ifRequired))).toEqual({
      guests: 'shutdown',
      reboot: 'if-required',
      downloadOnly: false,
    });
  });

  it('what the request says wins', () => {
    expect(withDesiredUpgradePolicy({ reboot: 'always' }, policies(never, ifRequired))).toEqual({ reboot: 'always', downloadOnly: false });
  });

  it('no node declaring one leaves the request as it is (the rollout defaults)', () => {
    expect(withDesiredUpgradePolicy({}, policies(undefined, undefined))).toEqual({});
  });

  it('refuses nodes that disagree, or some declaring and some not, naming the key and the nodes', () => {
    const e = specErrorOf(() => withDesiredUpgradePolicy({}, policies(never, ifRequired, undefined)));
    expect(e.errors).toEqual([
      {
        field: 'job.params.reboot',
        message:
          'the selected nodes declare different upgradePolicy.reboot values (pve1: never, pve2: if-required, pve3: none): give job.params.reboot',
      },
    ]);
    expect(specErrorOf(() => withDesiredUpgradePolicy({ reboot: 'never' }, policies(never, undefined))).errors[0]?.field).toBe(
      'job.params.downloadOnly',
    );
  });
});
