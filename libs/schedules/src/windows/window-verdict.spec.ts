import { describe, expect, it } from 'vitest';
import { nextWindow, windowVerdict } from './window-verdict';
import type { WindowDefinition } from './window-types';

const d = (s: string) => new Date(s);
const MIN = 60_000;
// Saturdays 02:00-04:00 UTC.
const sat: WindowDefinition = { name: 'sat', timezone: 'UTC', weekly: [{ days: ['sat'], start: '02:00', end: '04:00' }] };

describe('windowVerdict', () => {
  it('is unrestricted without windows', () => {
    expect(windowVerdict([], d('2027-01-02T00:00:00Z'), 10 * MIN)).toEqual({ kind: 'unrestricted' });
  });

  it('is open inside an opening with enough left, until its end', () => {
    const v = windowVerdict([sat], d('2027-01-02T02:30:00Z'), 60 * MIN);
    expect(v).toEqual({ kind: 'open', opening: { name: 'sat', start: d('2027-01-02T02:00:00Z'), end: d('2027-01-02T04:00:00Z') } });
  });

  it('waits for the next opening outside one', () => {
    const v = windowVerdict([sat], d('2027-01-01T12:00:00Z'), 60 * MIN);
    expect(v).toEqual({
      kind: 'wait',
      current: null,
      next: { name: 'sat', start: d('2027-01-02T02:00:00Z'), end: d('2027-01-02T04:00:00Z') },
    });
  });

  it('waits when too little of the opening is left (the end is exclusive)', () => {
    const v = windowVerdict([sat], d('2027-01-02T03:30:00Z'), 45 * MIN);
    expect(v.kind).toBe('wait');
    if (v.kind !== 'wait') return;
    expect(v.current?.end).toEqual(d('2027-01-02T04:00:00Z'));
    expect(v.next?.start).toEqual(d('2027-01-09T02:00:00Z'));
    expect(windowVerdict([sat], d('2027-01-02T03:15:00Z'), 45 * MIN).kind).toBe('open');
    expect(windowVerdict([sat], d('2027-01-02T04:00:00Z'), MIN).kind).toBe('wait');
  });

  it('skips an opening too short for the work: the DST-shortened spring night', () => {
    const berlin: WindowDefinition = {
      name: 'night',
      timezone: 'Europe/Berlin',
      weekly: [{ days: ['sun'], start: '02:00', end: '04:00' }],
    };
    const v = windowVerdict([berlin], d('2027-03-27T12:00:00Z'), 90 * MIN);
    expect(v.kind === 'wait' && v.next?.start).toEqual(d('2027-04-04T00:00:00Z'));
    const short = windowVerdict([berlin], d('2027-03-27T12:00:00Z'), 60 * MIN);
    expect(short.kind === 'wait' && short.next?.start).toEqual(d('2027-03-28T01:00:00Z'));
  });

  it('has no next opening when none is ever long enough', () => {
    const v = windowVerdict([sat], d('2027-01-01T00:00:00Z'), 3 * 60 * MIN);
    expect(v).toEqual({ kind: 'wait', current: null, next: null });
  });
});

describe('nextWindow', () => {
  it('is null without windows, the current opening when inside one, else the next', () => {
    expect(nextWindow([], d('2027-01-02T00:00:00Z'))).toBeNull();
    expect(nextWindow([sat], d('2027-01-02T03:00:00Z'))).toEqual({
      name: 'sat',
      start: d('2027-01-02T02:00:00Z'),
      end: d('2027-01-02T04:00:00Z'),
      open: true,
    });
    expect(nextWindow([sat], d('2027-01-02T04:00:00Z'))).toMatchObject({ start: d('2027-01-09T02:00:00Z'), open: false });
  });
});
