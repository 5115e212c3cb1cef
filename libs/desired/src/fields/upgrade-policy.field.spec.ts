import { parseOrThrow } from '@pvefleet/jobs';
import { describe, expect, it } from 'vitest';
import { upgradePolicyField } from './upgrade-policy.field';

const value = (v: unknown) => parseOrThrow(upgradePolicyField.schema, v, 'fields.upgradePolicy.value');

describe('upgradePolicy field', () => {
  it('takes aptupgrade reboot policy and download-only, with its refusals', () => {
    expect(value({ reboot: 'if-required' })).toEqual({ reboot: 'if-required', downloadOnly: false });
    expect(() => value({})).toThrow(/fields\.upgradePolicy\.value\.reboot/);
    expect(() => value({ reboot: 'sometimes' })).toThrow(/fields\.upgradePolicy\.value\.reboot/);
    expect(() => value({ reboot: 'always', downloadOnly: true })).toThrow(/fields\.upgradePolicy\.value\.reboot: a download-only run/);
    expect(() => value({ reboot: 'never', guests: 'migrate' })).toThrow(/fields\.upgradePolicy\.value\.guests: unknown field/);
  });

  it('is a setting: nothing to observe or fix', () => {
    expect('observe' in upgradePolicyField).toBe(false);
    expect('fix' in upgradePolicyField).toBe(false);
  });
});
