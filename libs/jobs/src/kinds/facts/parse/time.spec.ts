import { describe, expect, it } from 'vitest';
import { splitSections, type FactSections } from '../facts-script';
import { parseTime } from './time';

const sections = (v: Partial<FactSections>): FactSections => ({ ...splitSections(''), ...v });

// Simulator, chrony synced.
const TRACKING_SYNCED =
  'Reference ID    : 7914DEDB (121.20.222.219)\nStratum         : 3\nRef time (UTC)  : Mon Nov 23 07:25:28 2026\nSystem time     : 0.000748069 seconds slow of NTP time\nLast offset     : -0.000424814 seconds\nRMS offset      : 0.009931661 seconds\nFrequency       : 3.588 ppm fast\nResidual freq   : +0.001 ppm\nSkew            : 0.012 ppm\nRoot delay      : 0.012345678 seconds\nRoot dispersion : 0.001234567 seconds\nUpdate interval : 64.2 seconds\nLeap status     : Normal';
const SOURCES_SYNCED =
  'MS Name/IP address         Stratum Poll Reach LastRx Last sample               \n===============================================================================\n^* 121.20.222.219                2   8   377   238   -782us[ -469us] +/-   63ms\n^+ 110.211.42.237                2   8   377    82   +662us[ +397us] +/-   27ms\n^+ 107.39.247.90                 3   7   377   313   -307us[ -184us] +/-   58ms\n^- 110.98.178.177                1   7   377   297   -723us[ -434us] +/-   62ms';

// Simulator after setClockSynced(node, false).
const TRACKING_UNSYNCED =
  'Reference ID    : 00000000 ()\nStratum         : 0\nRef time (UTC)  : Thu Jan 01 00:00:00 1970\nSystem time     : 0.000000000 seconds fast of NTP time\nLast offset     : +0.000000000 seconds\nRMS offset      : 0.000000000 seconds\nFrequency       : 0.000 ppm slow\nResidual freq   : +0.000 ppm\nSkew            : 0.000 ppm\nRoot delay      : 1.000000000 seconds\nRoot dispersion : 1.000000000 seconds\nUpdate interval : 0.0 seconds\nLeap status     : Not synchronised';
const SOURCES_UNSYNCED =
  'MS Name/IP address         Stratum Poll Reach LastRx Last sample               \n===============================================================================\n^? 121.20.222.219                0   6     0     -     +0ns[   +0ns] +/-    0ns\n^? 110.211.42.237                0   6     0     -     +0ns[   +0ns] +/-    0ns';

const CHRONY_CONF =
  'confdir /etc/chrony/conf.d\npool 2.debian.pool.ntp.org iburst\nsourcedir /etc/chrony/sources.d\nmakestep 1 3\nleapsectz right/UTC';
const TIMESYNCD_CONF = '[Time]\nNTP=ntp1.example.com ntp2.example.com';

describe('parseTime', () => {
  it('reads a synced chrony node, its configuration and drop-ins', () => {
    const s = sections({
      timeDaemons: 'active\ninactive',
      chronyTracking: TRACKING_SYNCED,
      chronySources: SOURCES_SYNCED,
      ntpSynchronized: 'yes',
      chronyConf: `${CHRONY_CONF}\n`,
      chronyDropins: '==> /etc/chrony/sources.d/pvefleet.sources <==\nserver ntp1.example.com iburst\n',
      timesyncdConf: `${TIMESYNCD_CONF}\n`,
    });
    expect(parseTime(s)).toEqual({
      daemon: 'chrony',
      synced: true,
      leapStatus: 'Normal',
      selectedSource: '121.20.222.219',
      chronyConf: `${CHRONY_CONF}\n`,
      chronySources: [{ path: '/etc/chrony/sources.d/pvefleet.sources', content: 'server ntp1.example.com iburst\n' }],
      timesyncdConf: `${TIMESYNCD_CONF}\n`,
      timesyncdSources: [],
    });
  });

  it('reports chrony unsynced from its own tools, whatever timedatectl says', () => {
    const s = sections({
      timeDaemons: 'active\ninactive',
      chronyTracking: TRACKING_UNSYNCED,
      chronySources: SOURCES_UNSYNCED,
      ntpSynchronized: 'yes',
    });
    expect(parseTime(s)).toMatchObject({ daemon: 'chrony', synced: false, leapStatus: 'Not synchronised', selectedSource: null });
  });

  it('needs both a normal leap status and a selected source', () => {
    const noSelection = SOURCES_SYNCED.replace('^*', '^+');
    expect(
      parseTime(sections({ timeDaemons: 'active\ninactive', chronyTracking: TRACKING_SYNCED, chronySources: noSelection })).synced,
    ).toBe(false);
  });

  it('reads the notes samples: chrony 3 header line, a selected reference clock', () => {
    const sources =
      '210 Number of sources = 2\nMS Name/IP address         Stratum Poll Reach LastRx Last sample\n===============================================================================\n#* GPS                           0   4   377    12   +120ns[ +200ns] +/-  100ns\n^- vps6.ctyme.com                2   9   377   212  +1086us[ +661us] +/-   72ms';
    const tracking = 'Reference ID    : B869B610 (vps6.ctyme.com)\nLeap status     : Normal';
    expect(parseTime(sections({ timeDaemons: 'active\ninactive', chronyTracking: tracking, chronySources: sources }))).toMatchObject({
      synced: true,
      selectedSource: 'GPS',
    });
  });

  it('is unknown when chrony runs but chronyc printed nothing', () => {
    expect(parseTime(sections({ timeDaemons: 'active\ninactive', ntpSynchronized: 'yes' }))).toMatchObject({
      daemon: 'chrony',
      synced: null,
      leapStatus: null,
    });
  });

  it('takes systemd-timesyncd sync from timedatectl', () => {
    const synced = parseTime(
      sections({
        timeDaemons: 'inactive\nactive',
        ntpSynchronized: 'yes',
        timesyncdConf: `${TIMESYNCD_CONF}\n`,
        timesyncdDropins:
          '==> /etc/systemd/timesyncd.conf.d/zz.conf <==\nNTP=z.example\n==> /etc/systemd/timesyncd.conf.d/pvefleet.conf <==\n[Time]\nNTP=\n',
      }),
    );
    expect(synced).toEqual({
      daemon: 'systemd-timesyncd',
      synced: true,
      leapStatus: null,
      selectedSource: null,
      chronyConf: null,
      chronySources: [],
      timesyncdConf: `${TIMESYNCD_CONF}\n`,
      // In the order systemd reads them: by file name.
      timesyncdSources: [
        { path: '/etc/systemd/timesyncd.conf.d/pvefleet.conf', content: '[Time]\nNTP=\n' },
        { path: '/etc/systemd/timesyncd.conf.d/zz.conf', content: 'NTP=z.example\n' },
      ],
    });
    expect(parseTime(sections({ timeDaemons: 'inactive\nactive', ntpSynchronized: 'no' })).synced).toBe(false);
  });

  it('has no daemon when neither runs, and nothing at all on an empty read', () => {
    expect(parseTime(sections({ timeDaemons: 'inactive\ninactive', ntpSynchronized: 'no' }))).toMatchObject({
      daemon: null,
      synced: false,
    });
    expect(parseTime(sections({}))).toEqual({
      daemon: null,
      synced: null,
      leapStatus: null,
      selectedSource: null,
      chronyConf: null,
      chronySources: [],
      timesyncdConf: null,
      timesyncdSources: [],
    });
  });

  it('prefers chrony when both report active', () => {
    expect(
      parseTime(sections({ timeDaemons: 'active\nactive', chronyTracking: TRACKING_SYNCED, chronySources: SOURCES_SYNCED })).daemon,
    ).toBe('chrony');
  });
});
