import { describe, expect, it } from 'vitest';
import { mergeDesired, type ProfileDoc } from './merge';
import type { SelectableNode } from './selector';

const node: SelectableNode = { name: 'pve1', labels: { site: 'fra' }, cluster: 'fra-a' };
const ntp = (servers: string[]) => ({ daemon: 'chrony', servers, keepDefaultPool: false });

const base: ProfileDoc = {
  name: 'base',
  priority: 0,
  revision: 3,
  selector: { all: true },
  fields: { ntp: { value: ntp(['a.example']) }, upgradePolicy: { value: { reboot: 'never' }, mode: 'report' } },
};
const fra: ProfileDoc = {
  name: 'fra',
  priority: 10,
  revision: 1,
  selector: { labels: { site: 'fra' } },
  fields: { ntp: { value: ntp(['fra.example']) } },
};
const ams: ProfileDoc = {
  name: 'ams',
  priority: 99,
  revision: 1,
  selector: { labels: { site: 'ams' } },
  fields: { ntp: { value: ntp(['x']) } },
};

describe('mergeDesired', () => {
  it('takes each field from the highest-priority matching profile, with provenance', () => {
    const m = mergeDesired(node, [base, fra, ams], null);
    expect(m).toEqual({
      ntp: { value: ntp(['fra.example']), mode: 'enforce', source: { kind: 'profile', name: 'fra', revision: 1 } },
      upgradePolicy: { value: { reboot: 'never' }, mode: 'report', source: { kind: 'profile', name: 'base', revision: 3 } },
    });
  });

  it('the override wins, field by field', () => {
    const m = mergeDesired(node, [base, fra], { revision: 7, fields: { ntp: { value: ntp(['mine']), mode: 'report' } } });
    expect(m['ntp']).toEqual({ value: ntp(['mine']), mode: 'report', source: { kind: 'override', revision: 7 } });
    expect(m['upgradePolicy'].source).toEqual({ kind: 'profile', name: 'base', revision: 3 });
  });

  it('an override alone declares its fields', () => {
    expect(Object.keys(mergeDesired(node, [], { revision: 1, fields: { repos: { value: {} } } }))).toEqual(['repos']);
  });

  it('does not depend on the order profiles come in; an equal-priority tie goes to the first name', () => {
    const a: ProfileDoc = { ...fra, name: 'a-fra' };
    const orders = [
      [base, fra, a],
      [a, fra, base],
      [fra, base, a],
    ];
    const results = orders.map((ps) => mergeDesired(node, ps, null));
    for (const r of results) expect(r).toEqual(results[0]);
    expect(results[0]?.['ntp']?.source).toEqual({ kind: 'profile', name: 'a-fra', revision: 1 });
  });

  it('a node no profile matches has no desired state', () => {
    expect(mergeDesired({ ...node, labels: {} }, [fra, ams], null)).toEqual({});
  });
});
