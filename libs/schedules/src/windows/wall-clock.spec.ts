import { describe, expect, it } from 'vitest';
import { floatingOf, instantOf, zoneNamed } from './wall-clock';

const berlin = zoneNamed('Europe/Berlin')!;
const local = (iso: string) => Date.parse(`${iso}Z`);
const utc = (iso: string) => new Date(instantOf(local(iso), berlin)).toISOString();

describe('wall clock in a zone', () => {
  it('knows IANA zones only', () => {
    expect(zoneNamed('Europe/Berlin')).not.toBeNull();
    expect(zoneNamed('Mars/Olympus')).toBeNull();
  });

  it('converts an ordinary time both ways', () => {
    expect(utc('2027-01-10T02:00:00')).toBe('2027-01-10T01:00:00.000Z');
    expect(utc('2027-07-10T02:00:00')).toBe('2027-07-10T00:00:00.000Z');
    expect(floatingOf(Date.parse('2027-07-10T00:00:00Z'), berlin)).toBe(local('2027-07-10T02:00:00'));
  });

  it('maps a time in the spring gap to the end of the gap', () => {
    // 2027-03-28: 02:00 CET becomes 03:00 CEST (01:00 UTC).
    expect(utc('2027-03-28T02:00:00')).toBe('2027-03-28T01:00:00.000Z');
    expect(utc('2027-03-28T02:30:00')).toBe('2027-03-28T01:00:00.000Z');
    expect(utc('2027-03-28T03:00:00')).toBe('2027-03-28T01:00:00.000Z');
    expect(utc('2027-03-28T01:59:00')).toBe('2027-03-28T00:59:00.000Z');
  });

  it('takes the first of a time that happens twice in autumn', () => {
    // 2027-10-31: 03:00 CEST becomes 02:00 CET; 02:30 happens at 00:30 and at 01:30 UTC.
    expect(utc('2027-10-31T02:30:00')).toBe('2027-10-31T00:30:00.000Z');
    expect(utc('2027-10-31T03:00:00')).toBe('2027-10-31T02:00:00.000Z');
  });

  it('handles a zone west of UTC', () => {
    const ny = zoneNamed('America/New_York')!;
    // 2027-03-14 02:00 EST becomes 03:00 EDT (07:00 UTC).
    expect(new Date(instantOf(local('2027-03-14T02:15:00'), ny)).toISOString()).toBe('2027-03-14T07:00:00.000Z');
    expect(new Date(instantOf(local('2027-11-07T01:30:00'), ny)).toISOString()).toBe('2027-11-07T05:30:00.000Z');
  });
});
