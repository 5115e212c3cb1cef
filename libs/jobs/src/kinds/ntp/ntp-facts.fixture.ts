import type { NodeFacts, TimeFacts } from '../../node-facts';
import { pveNodeFacts } from '../../testing/node-facts.fixture';

/** Debian's stock chrony.conf directives (pve-commands §4), as a chrony node has it. */
export const STOCK_CHRONY_CONF = [
  'confdir /etc/chrony/conf.d',
  'pool 2.debian.pool.ntp.org iburst',
  'sourcedir /run/chrony-dhcp',
  'sourcedir /etc/chrony/sources.d',
  'keyfile /etc/chrony/chrony.keys',
  'driftfile /var/lib/chrony/chrony.drift',
  'makestep 1 3',
  '',
].join('\n');

/** Hand-built facts of a PVE node (8 or 9) with the given time section. */
export function nodeFacts(time: Partial<TimeFacts>, pveMajor: 8 | 9 = 8): NodeFacts {
  return pveNodeFacts(pveMajor, {
    time: {
      daemon: 'chrony',
      synced: true,
      leapStatus: 'Normal',
      selectedSource: '2.debian.pool.ntp.org',
      chronyConf: STOCK_CHRONY_CONF,
      chronySources: [],
      timesyncdConf: '[Time]\n#NTP=\n',
      ...time,
    },
  });
}
