import { parseOrThrow } from '@pvefleet/jobs';
import { describe, expect, it } from 'vitest';
import { pveNodeFacts } from '../../../jobs/src/testing/node-facts.fixture';
import { swappinessField } from './swappiness.field';

const FILE = '/etc/sysctl.d/90-pvefleet-swappiness.conf';
const value = (v: unknown) => parseOrThrow(swappinessField.schema, v, 'fields.swappiness.value');
const facts = (live: number, settings: { path: string; value: number }[] = []) => pveNodeFacts(8, { swappiness: { live, settings } });
const now = Date.UTC(2026, 10, 1);

describe('swappiness field', () => {
  it("validates with the swappiness kind's own schema, errors under fields.swappiness.value", () => {
    expect(value(10)).toBe(10);
    expect(() => value(101)).toThrow('fields.swappiness.value: must be 0-100');
    expect(() => value(2.5)).toThrow('fields.swappiness.value: must be an integer');
  });

  it('observes the live value and what a boot leaves (the last sysctl.d setting); unknown without sysctl', () => {
    expect(swappinessField.observe?.(facts(60))).toEqual({ live: 60, boot: null, bootFrom: null });
    expect(
      swappinessField.observe?.(
        facts(10, [
          { path: '/etc/sysctl.d/10-a.conf', value: 1 },
          { path: FILE, value: 10 },
        ]),
      ),
    ).toEqual({
      live: 10,
      boot: 10,
      bootFrom: FILE,
    });
    expect(swappinessField.observe?.(pveNodeFacts(8, { swappiness: null }))).toBeNull();
    // Facts stored before pvefleet read swappiness.
    expect(swappinessField.observe?.(pveNodeFacts())).toBeNull();
  });

  it('differs on the live value and on what a boot brings, naming both', () => {
    const d = (v: number, o: { live: number; boot: number | null; bootFrom: string | null }) => swappinessField.differs?.(v, o, now);
    expect(d(10, { live: 10, boot: 10, bootFrom: FILE })).toBeUndefined();
    expect(d(10, { live: 60, boot: null, bootFrom: null })).toBe(
      "vm.swappiness is 60, desired 10; no sysctl.d file sets vm.swappiness: a boot brings back the kernel's 60",
    );
    expect(d(10, { live: 10, boot: 60, bootFrom: '/etc/sysctl.d/99-sysctl.conf' })).toBe(
      'a boot sets vm.swappiness = 60 (/etc/sysctl.d/99-sysctl.conf)',
    );
    // 60 is the kernel's default: nothing to persist.
    expect(d(60, { live: 60, boot: null, bootFrom: null })).toBeUndefined();
  });

  it('fixes with one swappiness task, none when compliant', () => {
    expect(swappinessField.fix?.(10, facts(60))).toEqual([{ type: 'swappiness', params: { swappiness: 10 } }]);
    expect(swappinessField.fix?.(10, facts(10, [{ path: FILE, value: 10 }]))).toEqual([]);
  });
});
