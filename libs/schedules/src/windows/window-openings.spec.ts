import { describe, expect, it } from 'vitest';
import { openingsBetween } from './window-openings';
import type { WindowDefinition } from './window-types';

const iso = (o: { start: Date; end: Date }) => [o.start.toISOString(), o.end.toISOString()];
const d = (s: string) => new Date(s);
const hours = (o: { start: Date; end: Date }) => (o.end.getTime() - o.start.getTime()) / 3_600_000;

const nightly: WindowDefinition = {
  name: 'nightly',
  timezone: 'Europe/Berlin',
  weekly: [{ days: ['sun'], start: '02:00', end: '04:00' }],
};

describe('weekly ranges', () => {
  it('opens on the given days at wall-clock times of the zone', () => {
    const w: WindowDefinition = { name: 'w', timezone: 'Europe/Berlin', weekly: [{ days: ['mon', 'wed'], start: '22:00', end: '23:30' }] };
    const got = openingsBetween([w], d('2027-01-04T00:00:00Z'), d('2027-01-11T00:00:00Z')).map(iso);
    expect(got).toEqual([
      ['2027-01-04T21:00:00.000Z', '2027-01-04T22:30:00.000Z'],
      ['2027-01-06T21:00:00.000Z', '2027-01-06T22:30:00.000Z'],
    ]);
  });

  it('ends past midnight on the next day, and includes an opening that began before `from`', () => {
    const w: WindowDefinition = { name: 'late', timezone: 'UTC', weekly: [{ days: ['sat'], start: '22:00', end: '02:00' }] };
    const got = openingsBetween([w], d('2027-01-10T01:00:00Z'), d('2027-01-12T00:00:00Z')).map(iso);
    expect(got).toEqual([['2027-01-09T22:00:00.000Z', '2027-01-10T02:00:00.000Z']]);
  });

  it('reads 24:00 as the next midnight', () => {
    const w: WindowDefinition = { name: 'day', timezone: 'UTC', weekly: [{ days: ['tue'], start: '00:00', end: '24:00' }] };
    expect(openingsBetween([w], d('2027-01-05T00:00:00Z'), d('2027-01-06T00:00:00Z')).map(iso)).toEqual([
      ['2027-01-05T00:00:00.000Z', '2027-01-06T00:00:00.000Z'],
    ]);
  });

  it('is an hour shorter on the spring DST change (02:00-04:00 opens at 03:00 CEST)', () => {
    const [o] = openingsBetween([nightly], d('2027-03-27T00:00:00Z'), d('2027-03-29T00:00:00Z'));
    expect(iso(o)).toEqual(['2027-03-28T01:00:00.000Z', '2027-03-28T02:00:00.000Z']);
    expect(hours(o)).toBe(1);
  });

  it('is an hour longer on the autumn DST change (from the first 02:00 to 04:00 CET)', () => {
    const [o] = openingsBetween([nightly], d('2027-10-30T00:00:00Z'), d('2027-11-01T00:00:00Z'));
    expect(iso(o)).toEqual(['2027-10-31T00:00:00.000Z', '2027-10-31T03:00:00.000Z']);
    expect(hours(o)).toBe(3);
  });

  it('does not open on the spring change day when the range lies wholly in the gap', () => {
    const w: WindowDefinition = { name: 'gap', timezone: 'Europe/Berlin', weekly: [{ days: ['sun'], start: '02:00', end: '02:45' }] };
    expect(openingsBetween([w], d('2027-03-27T00:00:00Z'), d('2027-03-29T00:00:00Z'))).toEqual([]);
    expect(openingsBetween([w], d('2027-04-03T00:00:00Z'), d('2027-04-05T00:00:00Z')).map(iso)).toEqual([
      ['2027-04-04T00:00:00.000Z', '2027-04-04T00:45:00.000Z'],
    ]);
  });

  it('merges overlapping openings of two windows into one, named after the first', () => {
    const a: WindowDefinition = { name: 'a', timezone: 'UTC', weekly: [{ days: ['mon'], start: '01:00', end: '03:00' }] };
    const b: WindowDefinition = { name: 'b', timezone: 'UTC', weekly: [{ days: ['mon'], start: '02:00', end: '05:00' }] };
    const got = openingsBetween([b, a], d('2027-01-04T00:00:00Z'), d('2027-01-05T00:00:00Z'));
    expect(got.map((o) => [o.name, ...iso(o)])).toEqual([['a', '2027-01-04T01:00:00.000Z', '2027-01-04T05:00:00.000Z']]);
  });

  it('opens never for a zone this Node does not know', () => {
    expect(openingsBetween([{ ...nightly, timezone: 'Nowhere/Else' }], d('2027-01-01T00:00:00Z'), d('2027-02-01T00:00:00Z'))).toEqual([]);
  });
});

describe('RRULE windows', () => {
  const saturdays: WindowDefinition = {
    name: 'sat',
    timezone: 'Europe/Berlin',
    rrule: 'FREQ=WEEKLY;BYDAY=SA;BYHOUR=2',
    durationMinutes: 120,
  };

  it('opens at each occurrence, wall-clock in the zone, for its duration', () => {
    const got = openingsBetween([saturdays], d('2027-01-01T00:00:00Z'), d('2027-01-20T00:00:00Z')).map(iso);
    expect(got).toEqual([
      ['2027-01-02T01:00:00.000Z', '2027-01-02T03:00:00.000Z'],
      ['2027-01-09T01:00:00.000Z', '2027-01-09T03:00:00.000Z'],
      ['2027-01-16T01:00:00.000Z', '2027-01-16T03:00:00.000Z'],
    ]);
    const summer = openingsBetween([saturdays], d('2027-07-01T00:00:00Z'), d('2027-07-05T00:00:00Z')).map(iso);
    expect(summer).toEqual([['2027-07-03T00:00:00.000Z', '2027-07-03T02:00:00.000Z']]);
  });

  it('on the spring change an occurrence in the gap opens when the clocks jump, for its full duration', () => {
    const sundays: WindowDefinition = {
      name: 'sun',
      timezone: 'Europe/Berlin',
      rrule: 'RRULE:FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=30',
      durationMinutes: 60,
    };
    expect(openingsBetween([sundays], d('2027-03-27T00:00:00Z'), d('2027-03-29T00:00:00Z')).map(iso)).toEqual([
      ['2027-03-28T01:00:00.000Z', '2027-03-28T02:00:00.000Z'],
    ]);
  });

  it('on the autumn change an occurrence that happens twice opens once, at the first', () => {
    const sundays: WindowDefinition = {
      name: 'sun',
      timezone: 'Europe/Berlin',
      rrule: 'FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=30',
      durationMinutes: 60,
    };
    expect(openingsBetween([sundays], d('2027-10-30T00:00:00Z'), d('2027-11-01T00:00:00Z')).map(iso)).toEqual([
      ['2027-10-31T00:30:00.000Z', '2027-10-31T01:30:00.000Z'],
    ]);
  });

  it('counts INTERVAL from a local DTSTART', () => {
    const fortnightly: WindowDefinition = {
      name: 'f',
      timezone: 'America/New_York',
      rrule: 'DTSTART:20270102T230000\nRRULE:FREQ=WEEKLY;INTERVAL=2',
      durationMinutes: 30,
    };
    expect(openingsBetween([fortnightly], d('2027-01-01T00:00:00Z'), d('2027-02-01T00:00:00Z')).map(iso)).toEqual([
      ['2027-01-03T04:00:00.000Z', '2027-01-03T04:30:00.000Z'],
      ['2027-01-17T04:00:00.000Z', '2027-01-17T04:30:00.000Z'],
      ['2027-01-31T04:00:00.000Z', '2027-01-31T04:30:00.000Z'],
    ]);
  });
});
