import { parseOrThrow } from '@pvefleet/jobs';
import { describe, expect, it } from 'vitest';
import { nodeFacts, STOCK_CHRONY_CONF } from '../../../jobs/src/kinds/ntp/ntp-facts.fixture';
import { ntpField } from './ntp.field';

const value = (v: unknown) => parseOrThrow(ntpField.schema, v, 'fields.ntp.value');
const dropin = (servers: string[]) => ({
  path: '/etc/chrony/sources.d/pvefleet.sources',
  content: `# Managed by pvefleet\n${servers.map((s) => `server ${s} iburst`).join('\n')}\n`,
});
const now = Date.UTC(2026, 10, 1);

describe('ntp field', () => {
  it('validates the servers with the ntp kind own schema, errors under fields.ntp.value', () => {
    expect(value({ servers: ['ntp1.example.com'] })).toEqual({ servers: ['ntp1.example.com'], keepDefaultPool: true });
    expect(() => value({ servers: ['ntp1.example.com', 'NTP1.example.com'] })).toThrow(/fields\.ntp\.value\.servers\.1: duplicate server/);
    expect(() => value({ servers: ['bad host!'] })).toThrow(/fields\.ntp\.value\.servers\.0/);
    expect(() => value({ servers: ['a.example'], daemon: 'ntpd' })).toThrow(/fields\.ntp\.value\.daemon/);
  });

  it('observes chrony servers from chrony.conf and sources.d, and whether a pool line is active', () => {
    expect(ntpField.observe?.(nodeFacts({}))).toEqual({ daemon: 'chrony', servers: [], pool: true });
    const disabled = STOCK_CHRONY_CONF.replace('pool 2', '#pool 2');
    expect(
      ntpField.observe?.(nodeFacts({ chronyConf: disabled, chronySources: [dropin(['NTP1.example.com', 'ntp2.example.com'])] })),
    ).toEqual({
      daemon: 'chrony',
      servers: ['ntp1.example.com', 'ntp2.example.com'],
      pool: false,
    });
  });

  it('observes timesyncd servers as systemd reads them: timesyncd.conf, then drop-ins, an empty NTP= clearing', () => {
    const pvefleetDropin = {
      path: '/etc/systemd/timesyncd.conf.d/pvefleet.conf',
      content: '# Managed by pvefleet\n[Time]\nNTP=\nNTP=ntp1.example.com ntp2.example.com\nFallbackNTP=\n',
    };
    const timesyncd = (conf: string, sources: { path: string; content: string }[]) =>
      ntpField.observe?.(nodeFacts({ daemon: 'systemd-timesyncd', timesyncdConf: conf, timesyncdSources: sources }));
    expect(timesyncd('[Time]\nNTP=old.example.com\n', [pvefleetDropin])).toEqual({
      daemon: 'systemd-timesyncd',
      servers: ['ntp1.example.com', 'ntp2.example.com'],
      pool: false,
    });
    expect(timesyncd('[Time]\n#NTP=\n', [])).toEqual({ daemon: 'systemd-timesyncd', servers: [], pool: true });
    expect(timesyncd('[Time]\nNTP=a.example\n', [{ path: '/etc/systemd/timesyncd.conf.d/x.conf', content: 'NTP=b.example\n' }])).toEqual({
      daemon: 'systemd-timesyncd',
      servers: ['a.example', 'b.example'],
      pool: true,
    });
  });

  it('is unknown where facts cannot tell (timesyncd facts without drop-ins, unreadable chrony.conf)', () => {
    expect(ntpField.observe?.(nodeFacts({ daemon: 'systemd-timesyncd' }))).toBeNull();
    expect(ntpField.observe?.(nodeFacts({ chronyConf: null }))).toBeNull();
  });

  it('differs on servers (either way), a pool that should be gone, another daemon, or none', () => {
    const d = (v: unknown, o: Parameters<NonNullable<typeof ntpField.differs>>[1]) => ntpField.differs?.(value(v), o, now);
    const obs = { daemon: 'chrony' as const, servers: ['a.example'], pool: true };
    expect(d({ servers: ['A.example'] }, obs)).toBeUndefined();
    expect(d({ servers: ['a.example', 'b.example'] }, obs)).toBe('servers are a.example, wants a.example, b.example');
    expect(d({ servers: ['a.example'] }, { ...obs, servers: ['a.example', 'evil.example'] })).toBe(
      'servers are a.example, evil.example, wants a.example',
    );
    expect(d({ servers: ['a.example'], keepDefaultPool: false }, obs)).toBe('the default pool is still in use');
    expect(d({ servers: ['a.example'], daemon: 'systemd-timesyncd' }, obs)).toBe('runs chrony, wants systemd-timesyncd');
    expect(d({ servers: ['a.example'] }, { daemon: null, servers: [], pool: false })).toMatch(/no time daemon/);
  });

  it('fixes with one ntp task (disablePool when the pool must go); none when compliant or the daemon is wrong', () => {
    const facts = nodeFacts({ chronySources: [dropin(['a.example'])] });
    expect(ntpField.fix?.(value({ servers: ['b.example'], keepDefaultPool: false }), facts)).toEqual([
      { type: 'ntp', params: { servers: ['b.example'], disablePool: true } },
    ]);
    expect(ntpField.fix?.(value({ servers: ['a.example'] }), facts)).toEqual([]);
    expect(ntpField.fix?.(value({ servers: ['b.example'], daemon: 'systemd-timesyncd' }), facts)).toEqual([]);
  });
});
