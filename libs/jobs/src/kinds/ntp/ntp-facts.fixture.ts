import type { NodeFacts, TimeFacts } from '../../node-facts';

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
  return {
    collectedAt: Date.UTC(2026, 10, 1),
    hostname: 'pve1',
    kernel: pveMajor === 8 ? '6.8.12-4-pve' : '6.14.8-2-pve',
    pveversion: pveMajor === 8 ? 'pve-manager/8.4.11/abc (running kernel: 6.8.12-4-pve)' : 'pve-manager/9.0.6/def (running kernel: 6.14.8-2-pve)',
    pveManagerVersion: pveMajor === 8 ? '8.4.11' : '9.0.6',
    pveMajor,
    os: { id: 'debian', versionId: pveMajor === 8 ? '12' : '13', codename: pveMajor === 8 ? 'bookworm' : 'trixie', prettyName: 'Debian' },
    uptimeSeconds: 1000,
    bootId: 'b0',
    kernels: null,
    upgradable: null,
    aptSources: [],
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
    certificate: null,
    acme: null,
    disks: null,
    pools: null,
    storages: null,
    cluster: null,
    ha: null,
  };
}
