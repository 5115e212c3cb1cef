import type { NodeFacts } from '../node-facts';

/** The versions a hand-built PVE 8 / PVE 9 node reports (as the simulator seeds them). */
const PVE = {
  8: {
    kernel: '6.8.12-13-pve',
    manager: '8.4.11',
    hash: '14a32011146091ed',
    os: { id: 'debian', versionId: '12', codename: 'bookworm', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
  },
  9: {
    kernel: '6.17.2-1-pve',
    manager: '9.1.1',
    hash: '42db4a6cf33dac83',
    os: { id: 'debian', versionId: '13', codename: 'trixie', prettyName: 'Debian GNU/Linux 13 (trixie)' },
  },
} as const;

/**
 * Facts of a healthy, standalone PVE node, built by hand so plan tests never depend on the facts
 * parsers. Each kind's spec overrides what its plan reads (`kernel`, `pveversion`, … follow the
 * major unless overridden).
 */
export function pveNodeFacts(pveMajor: 8 | 9 = 8, over: Partial<NodeFacts> = {}): NodeFacts {
  const v = PVE[pveMajor];
  const kernel = over.kernel ?? v.kernel;
  const manager = over.pveManagerVersion ?? v.manager;
  return {
    collectedAt: Date.UTC(2026, 10, 1),
    hostname: 'pve1',
    kernel,
    pveversion: `pve-manager/${manager}/${v.hash} (running kernel: ${kernel})`,
    pveManagerVersion: manager,
    pveMajor,
    os: { ...v.os },
    uptimeSeconds: 86_400,
    bootId: '5a9f0c1e-2b7d-4c1a-9e3f-0d8b6a4c2e11',
    kernels: null,
    upgradable: null,
    aptSources: [],
    time: {
      daemon: 'chrony',
      synced: true,
      leapStatus: 'Normal',
      selectedSource: null,
      chronyConf: null,
      chronySources: [],
      timesyncdConf: null,
    },
    certificate: null,
    acme: null,
    disks: null,
    pools: null,
    storages: null,
    cluster: null,
    ha: null,
    ...over,
  };
}
