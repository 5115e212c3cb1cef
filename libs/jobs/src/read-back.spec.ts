import { describe, expect, it } from 'vitest';
import { JOB_KINDS, type TaskParams } from './job-catalog';
import type { JobKind } from './job-kind';
import type { NodeFacts } from './node-facts';
import type { TaskType } from './task-type';
import { acmeFacts } from './kinds/acme/acme-facts.fixture';
import { networkFacts } from './kinds/netconfig/network-facts.fixture';
import { nodeFacts as timeFacts } from './kinds/ntp/ntp-facts.fixture';
import { pveNodeFacts } from './testing/node-facts.fixture';
import { parseOrThrow } from './spec-error';

const disk = (name: string) => ({ path: `/dev/${name}`, byId: [], sizeBytes: 4e12, model: null, serial: null, used: null });

/** One ordinary request per mutating kind declaring `readBack: plan`, and facts its plan accepts. */
const SAMPLES: { [T in TaskType]?: { params: TaskParams<T>; facts: NodeFacts } } = {
  aptupdate: { params: {}, facts: pveNodeFacts() },
  aptupgrade: { params: {}, facts: pveNodeFacts() },
  aptrepos: {
    params: { channel: 'no-subscription' },
    facts: pveNodeFacts(8, {
      aptSources: [
        { path: '/etc/apt/sources.list.d/pve.list', content: 'deb http://download.proxmox.com/debian/pve bookworm pve-no-subscription\n' },
      ],
    }),
  },
  ntp: { params: { servers: ['ntp.example.com'] }, facts: timeFacts({}) },
  acmerenew: { params: { force: true }, facts: acmeFacts() },
  acmenewcert: { params: {}, facts: acmeFacts() },
  zfscreate: {
    params: { name: 'tank', raidLevel: 'mirror', devices: ['/dev/sdb', '/dev/sdc'] },
    facts: pveNodeFacts(8, { disks: [disk('sdb'), disk('sdc')], pools: [] }),
  },
  lvmthin: {
    params: { disk: '/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-1', vgName: 'vmdata', thinPool: 'vmstore', size: '80G' },
    facts: pveNodeFacts(8, { disks: [{ ...disk('sdb'), byId: ['/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-1'] }] }),
  },
  hamaintenance: { params: { node: 'pve1', enable: true }, facts: pveNodeFacts() },
  migrateall: { params: { target: 'pve2' }, facts: pveNodeFacts() },
  evacuate: { params: { targets: ['pve2'] }, facts: pveNodeFacts() },
  returnguests: { params: { guests: [{ vmid: 100, type: 'qemu' }] }, facts: pveNodeFacts() },
  cephflag: { params: { flag: 'noout', set: true }, facts: pveNodeFacts() },
  swappiness: { params: { swappiness: 10 }, facts: pveNodeFacts(8, { swappiness: { live: 60, settings: [] } }) },
  zfsarc: { params: { zfsArcMax: 8589934592 }, facts: pveNodeFacts(8, { zfsArc: { live: 0, configured: null, conf: null } }) },
  apthold: { params: { hold: ['proxmox-ve'] }, facts: pveNodeFacts() },
  metricserver: {
    params: { servers: [{ type: 'graphite', name: 'g1', server: '10.0.0.50' }] },
    facts: pveNodeFacts(8, { metricServers: [] }),
  },
  netconfig: { params: { bridges: [{ name: 'vmbr1', ports: ['eno2'], vlanAware: true }] }, facts: networkFacts() },
};

describe('read-back of mutating kinds', () => {
  for (const kind of JOB_KINDS.filter((k) => k.readBack?.by === 'plan')) {
    it(`${kind.type}: its plan has a step that reads the node back`, () => {
      const sample = SAMPLES[kind.type];
      expect(sample, `a sample request for ${kind.type}`).toBeDefined();
      const { params, facts } = sample ?? { params: {}, facts: pveNodeFacts() };
      const registered: JobKind = kind;
      const plan = registered.plan(parseOrThrow(registered.spec, params), facts);
      expect(plan.steps.some((s) => s.verify !== undefined || s.retry !== undefined)).toBe(true);
    });
  }
});
