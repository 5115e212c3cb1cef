import { describe, expect, it } from 'vitest';
import { chronyProblem, parseChronyStatus, parseProperties, selectedSource, sourceNames, timesyncdProblem } from './sync-status';

// chrony client.c formats (pve-commands §4): 13 tracking lines, then the sources table.
const TRACKING_SYNCED = `Reference ID    : B869B610 (ntp1.example.com)
Stratum         : 3
Ref time (UTC)  : Mon Nov 19 18:12:55 2018
System time     : 0.000748069 seconds slow of NTP time
Last offset     : -0.000424814 seconds
RMS offset      : 0.009931661 seconds
Frequency       : 3.588 ppm fast
Residual freq   : +0.001 ppm
Skew            : 0.012 ppm
Root delay      : 0.012345678 seconds
Root dispersion : 0.001234567 seconds
Update interval : 64.2 seconds
Leap status     : Normal`;
const SOURCES_SYNCED = `MS Name/IP address         Stratum Poll Reach LastRx Last sample               
===============================================================================
^* ntp1.example.com              2   9   377   212  +1086us[ +661us] +/-   72ms
^+ 10.0.0.2                      2   6   377    20   -120us[ -140us] +/-   30ms
^- 2.debian.pool.ntp.org         2   6   377    20   -120us[ -140us] +/-   30ms`;
const SOURCES_UNSYNCED = `MS Name/IP address         Stratum Poll Reach LastRx Last sample               
===============================================================================
^? ntp1.example.com              0   6     0     -     +0ns[   +0ns] +/-    0ns
^? 10.0.0.2                      0   6     0     -     +0ns[   +0ns] +/-    0ns`;

describe('chrony status', () => {
  it('reads the leap status and every source row', () => {
    const status = parseChronyStatus(`${TRACKING_SYNCED}\n${SOURCES_SYNCED}\n`);
    expect(status.leapStatus).toBe('Normal');
    expect(status.sources).toEqual([
      { mode: '^', state: '*', name: 'ntp1.example.com' },
      { mode: '^', state: '+', name: '10.0.0.2' },
      { mode: '^', state: '-', name: '2.debian.pool.ntp.org' },
    ]);
    expect(selectedSource(status)).toBe('ntp1.example.com');
  });

  it('is fine when synchronised with every server among the sources', () => {
    const status = parseChronyStatus(`${TRACKING_SYNCED}\n${SOURCES_SYNCED}`);
    expect(chronyProblem(status, ['ntp1.example.com', '10.0.0.2'])).toBeUndefined();
  });

  it('names what it saw when not synchronised', () => {
    const status = parseChronyStatus(
      `${TRACKING_SYNCED.replace('Leap status     : Normal', 'Leap status     : Not synchronised')}\n${SOURCES_UNSYNCED}`,
    );
    expect(chronyProblem(status, ['ntp1.example.com'])).toBe(
      'Leap status Not synchronised; no selected (^*) source (sources: ^? ntp1.example.com, ^? 10.0.0.2)',
    );
  });

  it('names a server chrony does not have (e.g. an unresolvable name) and empty output', () => {
    const status = parseChronyStatus(`${TRACKING_SYNCED}\n${SOURCES_SYNCED}`);
    expect(chronyProblem(status, ['ntp1.example.com', 'ntp9.example.com'])).toBe("ntp9.example.com not among chrony's sources");
    expect(chronyProblem(parseChronyStatus(''), ['a.example.com'])).toBe(
      "Leap status (none); no selected (^*) source (sources: none); a.example.com not among chrony's sources",
    );
  });

  it('matches names chronyc cut short with > and ignores case', () => {
    expect(sourceNames('ntp-a-very-long-server-na>', 'ntp-a-very-long-server-name.example.com')).toBe(true);
    expect(sourceNames('NTP1.example.com', 'ntp1.example.COM')).toBe(true);
    expect(sourceNames('ntp1.example.com', 'ntp10.example.com')).toBe(false);
    expect(sourceNames('>', 'anything')).toBe(false);
    const long = `${'a'.repeat(60)}.example.com`;
    expect(sourceNames(long.slice(0, 49), long)).toBe(true);
  });
});

describe('timesyncd status', () => {
  it('reads timedatectl properties', () => {
    const props = parseProperties('NTPSynchronized=yes\nSystemNTPServers=ntp1.example.com 10.0.0.2\nServerName=ntp1.example.com\n');
    expect(props.get('SystemNTPServers')).toBe('ntp1.example.com 10.0.0.2');
    expect(timesyncdProblem(props, ['ntp1.example.com', '10.0.0.2'])).toBeUndefined();
  });

  it('names an unsynchronised clock and servers the daemon does not use', () => {
    const props = parseProperties('NTPSynchronized=no\nSystemNTPServers=\nServerName=\n');
    expect(timesyncdProblem(props, ['ntp1.example.com'])).toBe('NTPSynchronized=no; SystemNTPServers=');
    expect(timesyncdProblem(new Map(), ['ntp1.example.com'])).toBe('NTPSynchronized=(none); SystemNTPServers=(none)');
  });
});
