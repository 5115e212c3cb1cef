import { describe, expect, it } from 'vitest';
import { parseWindowRule } from './window-rrule';

const error = (text: string) => {
  const r = parseWindowRule(text);
  return 'error' in r ? r.error : null;
};

describe('parseWindowRule', () => {
  it('accepts a rule with or without RRULE: and a local DTSTART line', () => {
    expect(error('FREQ=WEEKLY;BYDAY=SA;BYHOUR=2')).toBeNull();
    expect(error('RRULE:FREQ=MONTHLY;BYDAY=1SU;BYHOUR=3')).toBeNull();
    expect(error('DTSTART:20270102T020000\nRRULE:FREQ=DAILY;INTERVAL=3')).toBeNull();
  });

  it('refuses what is not a window rule, saying why', () => {
    expect(error('FREQ=HOURLY')).toMatch(/DAILY, WEEKLY, MONTHLY or YEARLY/);
    expect(error('BYDAY=SA')).toMatch(/FREQ is missing/);
    expect(error('FREQ=WEEKLY;BYDAY=XX')).toMatch(/not an RRULE/);
    expect(error('FREQ=WEEKLY;BOGUS=1')).toMatch(/not an RRULE/);
    expect(error('DTSTART:20270102T020000Z\nFREQ=DAILY')).toMatch(/DTSTART:YYYYMMDDTHHMMSS/);
    expect(error('FREQ=DAILY;UNTIL=20271231T000000Z')).toMatch(/no UNTIL ending in Z/);
    expect(error('DTSTART;TZID=Europe/Berlin:20270102T020000\nFREQ=DAILY')).not.toBeNull();
    expect(error('DTSTART:20270231T020000\nFREQ=DAILY')).toMatch(/not a date/);
    expect(error('a\nb\nc')).toMatch(/at most two lines/);
  });
});
