import { describe, expect, it } from 'vitest';
import { documentDiff } from './revision-diff';

describe('documentDiff', () => {
  it('names every added, removed and replaced value by its JSON Pointer', () => {
    const before = { priority: 0, fields: { ntp: { value: { servers: ['a', 'b'] } }, repos: { value: { channel: 'test' } } } };
    const after = { priority: 5, fields: { ntp: { value: { servers: ['a', 'c'] } }, acme: { value: { domains: ['x'] } } } };
    expect(documentDiff(before, after)).toEqual(
      expect.arrayContaining([
        { op: 'replace', path: '/priority', from: 0, to: 5 },
        { op: 'replace', path: '/fields/ntp/value/servers/1', from: 'b', to: 'c' },
        { op: 'remove', path: '/fields/repos', from: { value: { channel: 'test' } } },
        { op: 'add', path: '/fields/acme', to: { value: { domains: ['x'] } } },
      ]),
    );
    expect(documentDiff(before, after)).toHaveLength(4);
  });

  it('a creation adds every key, a deletion removes them, no change is empty', () => {
    expect(documentDiff(null, { a: 1 })).toEqual([{ op: 'add', path: '/a', to: 1 }]);
    expect(documentDiff({ a: 1 }, null)).toEqual([{ op: 'remove', path: '/a', from: 1 }]);
    expect(documentDiff({ a: { b: [1] } }, { a: { b: [1] } })).toEqual([]);
  });

  it('escapes ~ and / in keys', () => {
    expect(documentDiff({}, { 'a/b~c': 1 })).toEqual([{ op: 'add', path: '/a~1b~0c', to: 1 }]);
  });
});
