import { describe, expect, it } from 'vitest';
import { CronSchedule, cronErrors, parseCronSchedule } from './cron-schedule';

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe('CronSchedule', () => {
  describe('Europe/Berlin', () => {
    const daily = new CronSchedule('30 2 * * *', 'Europe/Berlin');

    it('runs a time skipped by the spring change right after it (03:00 CEST), like Debian cron', () => {
      expect(iso(daily.next(3, new Date('2027-03-27T12:00:00Z')))).toEqual([
        '2027-03-28T01:00:00.000Z', // 03:00 CEST: 02:30 did not exist
        '2027-03-29T00:30:00.000Z', // 02:30 CEST
        '2027-03-30T00:30:00.000Z',
      ]);
    });

    it('runs a time that happens twice in autumn once, at its first occurrence', () => {
      expect(iso(daily.next(3, new Date('2027-10-30T12:00:00Z')))).toEqual([
        '2027-10-31T00:30:00.000Z', // 02:30 CEST; 02:30 CET an hour later is not run again
        '2027-11-01T01:30:00.000Z', // 02:30 CET
        '2027-11-02T01:30:00.000Z',
      ]);
    });

    it('keeps an hourly schedule hourly in real time across the autumn change', () => {
      const hourly = new CronSchedule('0 * * * *', 'Europe/Berlin');
      expect(iso(hourly.next(3, new Date('2027-10-30T23:30:00Z')))).toEqual([
        '2027-10-31T00:00:00.000Z',
        '2027-10-31T01:00:00.000Z',
        '2027-10-31T02:00:00.000Z',
      ]);
    });
  });

  describe('America/New_York', () => {
    const daily = new CronSchedule('30 2 * * *', 'America/New_York');

    it('runs the skipped 02:30 at 03:00 EDT on the March change', () => {
      expect(iso(daily.next(2, new Date('2027-03-13T12:00:00Z')))).toEqual(['2027-03-14T07:00:00.000Z', '2027-03-15T06:30:00.000Z']);
    });

    it('runs 02:30 once on the November change (02:30 exists once there: the hour repeated is 01:00-02:00)', () => {
      expect(iso(daily.next(2, new Date('2027-11-06T12:00:00Z')))).toEqual(['2027-11-07T07:30:00.000Z', '2027-11-08T07:30:00.000Z']);
    });

    it('runs a repeated 01:30 once, at its first occurrence (EDT)', () => {
      const early = new CronSchedule('30 1 * * *', 'America/New_York');
      expect(iso(early.next(2, new Date('2027-11-06T12:00:00Z')))).toEqual(['2027-11-07T05:30:00.000Z', '2027-11-08T06:30:00.000Z']);
    });
  });

  it('lists the fire times after a point up to now, oldest first, at most max of them (the latest)', () => {
    const every5 = new CronSchedule('*/5 * * * *', 'UTC');
    const after = new Date('2027-01-01T00:00:00Z');
    expect(iso(every5.between(after, new Date('2027-01-01T00:12:00Z'), 10))).toEqual([
      '2027-01-01T00:05:00.000Z',
      '2027-01-01T00:10:00.000Z',
    ]);
    expect(iso(every5.between(after, new Date('2027-01-01T00:10:00Z'), 10))).toEqual([
      '2027-01-01T00:05:00.000Z',
      '2027-01-01T00:10:00.000Z',
    ]);
    expect(iso(every5.between(after, new Date('2027-01-02T00:00:00Z'), 2))).toEqual([
      '2027-01-01T23:55:00.000Z',
      '2027-01-02T00:00:00.000Z',
    ]);
    expect(every5.between(after, new Date('2027-01-01T00:04:59Z'), 10)).toEqual([]);
  });
});

describe('cronErrors', () => {
  it('accepts a valid expression and zone', () => {
    expect(cronErrors('0 3 * * 1-5', 'Europe/Berlin')).toEqual([]);
  });

  it('names cron for a bad expression and timezone for an unknown zone', () => {
    expect(cronErrors('61 * * * *', 'UTC').map((e) => e.field)).toEqual(['cron']);
    expect(cronErrors('0 3 * * *', 'Mars/Olympus').map((e) => e.field)).toEqual(['timezone']);
    expect(cronErrors('nonsense', 'nowhere', 'body.').map((e) => e.field)).toEqual(['body.timezone', 'body.cron']);
  });

  it('parseCronSchedule throws a SpecError naming the field', () => {
    expect(() => parseCronSchedule('* * *', 'UTC')).toThrow(/cron/);
  });
});
