import { describe, expect, it } from 'vitest';
import { batchStart } from './batch-opening';
import type { WindowDefinition } from './window-types';

const d = (s: string) => new Date(s);
const MIN = 60_000;
const utc = (name: string, days: ('mon' | 'sat' | 'sun')[], start: string, end: string): WindowDefinition => ({
  name,
  timezone: 'UTC',
  weekly: [{ days, start, end }],
});

describe('batchStart', () => {
  it('starts now when no member has a window, or every one is open with room', () => {
    expect(batchStart([{ node: 'a', windows: [], expectedMs: MIN }], d('2027-01-02T03:00:00Z'))).toEqual({ now: true });
    const sat = utc('sat', ['sat'], '02:00', '04:00');
    expect(
      batchStart(
        [
          { node: 'a', windows: [sat], expectedMs: 30 * MIN },
          { node: 'b', windows: [], expectedMs: 30 * MIN },
        ],
        d('2027-01-02T03:00:00Z'),
      ),
    ).toEqual({ now: true });
  });

  it('waits for the time every member is open, naming the first member and window waited for', () => {
    const sat = utc('sat', ['sat'], '02:00', '06:00');
    const late = utc('late', ['sat'], '04:00', '08:00');
    const got = batchStart(
      [
        { node: 'a', windows: [sat], expectedMs: 60 * MIN },
        { node: 'b', windows: [late], expectedMs: 60 * MIN },
      ],
      d('2027-01-01T12:00:00Z'),
    );
    expect(got).toEqual({ now: false, at: d('2027-01-02T04:00:00Z'), blocker: { node: 'a', window: 'sat' } });
  });

  it('never when the members never meet within a year', () => {
    const got = batchStart(
      [
        { node: 'a', windows: [utc('sat', ['sat'], '02:00', '04:00')], expectedMs: MIN },
        { node: 'b', windows: [utc('sun', ['sun'], '02:00', '04:00')], expectedMs: MIN },
      ],
      d('2027-01-01T12:00:00Z'),
    );
    expect(got).toMatchObject({ now: false, at: null, blocker: { node: 'a', window: 'sat' } });
  });
});
