import { describe, expect, it } from 'vitest';
import { describeConflict, profileConflicts, type ProfileShape } from './conflicts';

const p = (name: string, priority: number, selector: ProfileShape['selector'], keys: string[]): ProfileShape => ({
  name,
  priority,
  selector,
  fields: Object.fromEntries(keys.map((k) => [k, { value: {} }])),
});

describe('profileConflicts', () => {
  it('equal priority, selectors that can meet and a shared field conflict, naming both and the field', () => {
    const c = profileConflicts(p('fra', 10, { labels: { site: 'fra' } }, ['ntp', 'repos']), [p('all', 10, { all: true }, ['ntp'])]);
    expect(c).toEqual([{ profile: 'fra', other: 'all', field: 'ntp', priority: 10 }]);
    expect(describeConflict(c[0] ?? expect.fail('no conflict'))).toBe(
      "profiles 'fra' and 'all' both set field 'ntp' at priority 10 and can select the same node",
    );
  });

  it('no conflict across priorities, disjoint selectors, different fields, or with itself', () => {
    const fra = p('fra', 10, { labels: { site: 'fra' } }, ['ntp']);
    expect(profileConflicts(fra, [p('all', 0, { all: true }, ['ntp'])])).toEqual([]);
    expect(profileConflicts(fra, [p('ams', 10, { labels: { site: 'ams' } }, ['ntp'])])).toEqual([]);
    expect(profileConflicts(fra, [p('all', 10, { all: true }, ['repos'])])).toEqual([]);
    expect(profileConflicts(fra, [{ ...fra, selector: { all: true } }])).toEqual([]);
  });

  it('lists every conflict in a stable order', () => {
    const c = profileConflicts(p('x', 1, { all: true }, ['repos', 'ntp']), [
      p('b', 1, { all: true }, ['ntp', 'repos']),
      p('a', 1, { all: true }, ['ntp']),
    ]);
    expect(c.map((x) => `${x.other}:${x.field}`)).toEqual(['a:ntp', 'b:ntp', 'b:repos']);
  });
});
