import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '@pvefleet/simulator';
import type { DiskFacts, DiskSmart, NodeFacts } from '../../node-facts';
import { SpecError } from '../../spec-error';
import { pveNodeFacts } from '../../testing/node-facts.fixture';
import { runPlan } from '../clustercheck/run-plan.spec-helper';
import { factsScript, splitSections } from '../facts/facts-script';
import { parseFacts } from '../facts/parse-facts';
import { lvmThinJob } from './lvmthin.job';

const SDB = '/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-1';
const PASSED: DiskSmart = { health: 'PASSED', lines: ['SMART overall-health self-assessment test result: PASSED'] };
const FAILED: DiskSmart = {
  health: 'FAILED',
  lines: ['SMART overall-health self-assessment test result: FAILED!', 'Drive failure expected in less than 24 hours. SAVE ALL DATA.'],
};
const hdd = (name: string, serial: string, used: string | null = null, smart: DiskSmart | null = PASSED): DiskFacts => ({
  path: `/dev/${name}`,
  byId: [`/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_${serial}`],
  sizeBytes: 4000787030016,
  model: 'WDC WD40EFRX-68N32N0',
  serial,
  used,
  ...(smart ? { smart } : {}),
});
const facts = (
  disks: DiskFacts[] = [hdd('sdb', 'WD-1'), hdd('sdc', 'WD-2', 'partitions'), hdd('sdd', 'WD-3', 'LVM')],
  over: Partial<NodeFacts> = {},
) =>
  pveNodeFacts(8, {
    hostname: 'pve1',
    disks,
    storages: [{ id: 'local-lvm', type: 'lvmthin', status: 'active' }],
    lvm: {
      pvs: [{ device: '/dev/sda3', vg: 'pve', sizeBytes: 499029901312 }],
      thinPools: [{ vg: 'pve', name: 'data', sizeBytes: 366924611584 }],
    },
    ...over,
  });
const spec = (params: Record<string, unknown> = {}) =>
  lvmThinJob.spec.parse({ disk: SDB, vgName: 'vmdata', thinPool: 'vmstore', size: '80G', ...params });
const fieldErrors = (fn: () => unknown): { field: string; message: string }[] => {
  try {
    fn();
  } catch (err) {
    if (err instanceof SpecError) return err.errors;
    throw err;
  }
  return [];
};
const LVS = 'lvs --noheadings --units b --nosuffix -o lv_name,vg_name,lv_attr,lv_size vmdata/vmstore';

describe('lvmthin spec and plan', () => {
  it("plans exactly the seed's commands on a disk whose S.M.A.R.T. passed, then reads the pool back", () => {
    const plan = lvmThinJob.plan(spec({ storageId: 'vmstore' }), facts());
    expect(plan.steps.map((s) => s.command)).toEqual([
      `sgdisk -N 1 ${SDB}`,
      'udevadm settle',
      `pvcreate --metadatasize 250k -y -ff ${SDB}-part1`,
      `vgcreate vmdata ${SDB}-part1`,
      'lvcreate -L 80G -T -n vmstore vmdata',
      'pvesm add lvmthin vmstore --vgname vmdata --thinpool vmstore --content images,rootdir --nodes pve1',
      LVS,
      'pvesm status --storage vmstore',
    ]);
    expect(plan.notes).toEqual([
      `${SDB} is /dev/sdb on pve1, unused when its facts were read at 2026-11-01T00:00:00.000Z: partitioning it`,
      `S.M.A.R.T. health (smartctl -H -A when the facts were read): ${SDB} PASSED`,
    ]);
    expect(lvmThinJob.objectId?.(spec())).toBe('vmstore');
    expect(lvmThinJob.verifyAfterLoss?.(spec()).map((s) => s.command)).toEqual([LVS]);
  });

  it('validates every field with a message naming it', () => {
    const bad = lvmThinJob.spec.safeParse({
      disk: '/dev/sdb',
      vgName: '-vg',
      thinPool: 'pool_tmeta',
      size: '100%FREE',
      storageId: 'x',
      extra: 1,
    });
    expect(bad.success).toBe(false);
    expect(SpecError.fromZod(bad.error!, 'params').errors).toEqual([
      { field: 'params.disk', message: 'must be a whole disk by its /dev/disk/by-id/ path' },
      { field: 'params.vgName', message: 'must be an LVM volume group name: letters, digits and + _ . - (not starting with -)' },
      { field: 'params.thinPool', message: 'ends in a suffix LVM reserves for hidden volumes' },
      { field: 'params.size', message: 'must be a size like 100G, 1.5T or 512M (lvcreate -L takes no %FREE)' },
      {
        field: 'params.storageId',
        message: 'must be a storage id: a letter, then letters, digits, - _ . (at least 2 characters, not ending in - _ .)',
      },
      { field: 'params.extra', message: 'unknown field' },
    ]);
  });

  it('refuses a disk with partitions, a PV, or unknown to the node; a size that does not fit; an existing storage or VG', () => {
    const f = facts();
    expect(fieldErrors(() => lvmThinJob.plan(spec({ disk: '/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-2' }), f))).toEqual([
      { field: 'params.disk', message: '/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-2 (/dev/sdc) is in use (partitions)' },
    ]);
    expect(fieldErrors(() => lvmThinJob.plan(spec({ disk: '/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-3' }), f))).toEqual([
      { field: 'params.disk', message: '/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-3 (/dev/sdd) is in use (LVM)' },
    ]);
    expect(fieldErrors(() => lvmThinJob.plan(spec({ disk: '/dev/disk/by-id/ata-nope' }), f))).toEqual([
      { field: 'params.disk', message: '/dev/disk/by-id/ata-nope does not exist on pve1' },
    ]);
    expect(fieldErrors(() => lvmThinJob.plan(spec({ size: '4T' }), f))).toEqual([
      { field: 'params.size', message: `4T does not fit on ${SDB} (4000787030016 bytes)` },
    ]);
    expect(fieldErrors(() => lvmThinJob.plan(spec({ storageId: 'local-lvm' }), f))).toEqual([
      { field: 'params.storageId', message: 'storage local-lvm already exists on pve1 as a lvmthin storage' },
    ]);
    expect(fieldErrors(() => lvmThinJob.plan(spec({ vgName: 'pve', thinPool: 'data2' }), f))).toEqual([
      { field: 'params.vgName', message: 'volume group pve already exists on pve1 (on /dev/sda3)' },
    ]);
    expect(fieldErrors(() => lvmThinJob.plan(spec(), null))[0].field).toBe('params.disk');
    expect(fieldErrors(() => lvmThinJob.plan(spec(), facts(undefined, { disks: null })))).toEqual([
      { field: 'params.disk', message: 'the disks of pve1 are unknown: its facts have no PVE disk list' },
    ]);
  });

  it('refuses a disk whose S.M.A.R.T. failed, is disabled or unreadable, naming it and the lines that decided', () => {
    const on = (smart: DiskSmart) => fieldErrors(() => lvmThinJob.plan(spec(), facts([hdd('sdb', 'WD-1', null, smart)])));
    expect(on(FAILED)).toEqual([
      {
        field: 'params.disk',
        message: `${SDB} (/dev/sdb) fails its S.M.A.R.T. health check: "SMART overall-health self-assessment test result: FAILED!", "Drive failure expected in less than 24 hours. SAVE ALL DATA."; not using it (set ignoreSmart: true to use it anyway)`,
      },
    ]);
    expect(on({ health: 'disabled', lines: ["SMART Disabled. Use option -s with argument 'on' to enable it."] })).toEqual([
      {
        field: 'params.disk',
        message: `${SDB} (/dev/sdb) has S.M.A.R.T. disabled: "SMART Disabled. Use option -s with argument 'on' to enable it."; not using it (enable it with smartctl -s on /dev/sdb, or set ignoreSmart: true to use it anyway)`,
      },
    ]);
    expect(on({ health: 'unavailable', lines: ['SMART support is: Unavailable - device lacks SMART capability.'] })[0].message).toBe(
      `${SDB} (/dev/sdb) has no readable S.M.A.R.T. data: "SMART support is: Unavailable - device lacks SMART capability."; not using it (set ignoreSmart: true to use it anyway)`,
    );
  });

  it('ignoreSmart uses a failing disk and says so; facts without its status put smartctl first', () => {
    const forced = lvmThinJob.plan(spec({ ignoreSmart: true }), facts([hdd('sdb', 'WD-1', null, FAILED)]));
    expect(forced.steps[0].command).toBe(`sgdisk -N 1 ${SDB}`);
    expect(forced.notes?.[1]).toBe(`ignoreSmart: the disks are used whatever their S.M.A.R.T. health (${SDB} FAILED)`);
    const unknown = lvmThinJob.plan(spec(), facts([hdd('sdb', 'WD-1', null, null)]));
    expect(unknown.steps.slice(0, 2).map((s) => s.command)).toEqual([`smartctl -H -A ${SDB}`, `sgdisk -N 1 ${SDB}`]);
  });

  describe('a thin pool that exists already', () => {
    const existing = (pvDevice: string, sizeBytes = 85899345920, storages = [{ id: 'local-lvm', type: 'lvmthin', status: 'active' }]) =>
      facts([hdd('sdb', 'WD-1', 'LVM', FAILED), hdd('sdc', 'WD-2', 'LVM')], {
        lvm: {
          pvs: [{ device: pvDevice, vg: 'vmdata', sizeBytes: 4000783007744 }],
          thinPools: [{ vg: 'vmdata', name: 'vmstore', sizeBytes }],
        },
        storages,
      });

    it('on the disk asked for: only verified (no disk is used, so no gate), the storage added when missing', () => {
      const plan = lvmThinJob.plan(spec({ storageId: 'vmstore' }), existing('/dev/sdb1'));
      expect(plan.steps.map((s) => s.command)).toEqual([
        'pvesm add lvmthin vmstore --vgname vmdata --thinpool vmstore --content images,rootdir --nodes pve1',
        LVS,
        'pvesm status --storage vmstore',
      ]);
      expect(plan.notes?.[0]).toBe(`thin pool vmdata/vmstore already exists on ${SDB} (/dev/sdb): not creating it, only verifying`);
      const registered = existing('/dev/sdb1', 85899345920, [{ id: 'vmstore', type: 'lvmthin', status: 'active' }]);
      expect(lvmThinJob.plan(spec({ storageId: 'vmstore' }), registered).steps.map((s) => s.command)).toEqual([
        LVS,
        'pvesm status --storage vmstore',
      ]);
    });

    it('on another disk, or smaller than asked: refused', () => {
      expect(fieldErrors(() => lvmThinJob.plan(spec(), existing('/dev/sdc1')))).toEqual([
        { field: 'params.disk', message: `thin pool vmdata/vmstore already exists on pve1 on /dev/sdc, not on ${SDB} (/dev/sdb)` },
      ]);
      expect(fieldErrors(() => lvmThinJob.plan(spec({ size: '100G' }), existing('/dev/sdb1')))).toEqual([
        {
          field: 'params.size',
          message: 'thin pool vmdata/vmstore already exists with 85899345920 bytes, less than 100G (lvmthin does not resize a pool)',
        },
      ]);
    });
  });
});

describe('lvmthin against the simulator', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({
      seed: 15,
      controlPort: false,
      clusters: [{ name: 'lab', nodes: 1, namePrefix: 'pve' }],
      smart: { pve1: { sdc: 'failing', sdd: 'disabled' } },
    });
  });
  afterAll(() => sim.stop());

  const exec = (command: string) => sim.exec('pve1', command);
  /** The node's facts as the facts task reads them. */
  const nodeFacts = async (): Promise<NodeFacts> => parseFacts(splitSections((await exec(factsScript())).stdout), Date.now());
  const byId = async (path: string): Promise<string> => (await nodeFacts()).disks?.find((d) => d.path === path)?.byId[0] ?? '';

  it('creates the pool and the storage; run again, it only verifies; the disk is then in use (LVM) for any other pool', async () => {
    const disk = await byId('/dev/sdb');
    const s = spec({ disk, storageId: 'vmstore' });
    const run = await runPlan(lvmThinJob.plan(s, await nodeFacts()), exec);
    expect(run.error).toBeUndefined();
    expect(run.outputs.lvs.stdout).toBe('  vmstore vmdata twi-a-tz-- 85899345920');
    expect(sim.readFile('pve1', '/etc/pve/storage.cfg')).toContain(
      'lvmthin: vmstore\n\tvgname vmdata\n\tthinpool vmstore\n\tcontent images,rootdir\n\tnodes pve1\n',
    );
    const refreshed = await nodeFacts();
    expect(lvmThinJob.finish?.(s, run.outputs, { facts: refreshed, now: 0 }).result).toMatchObject({
      created: true,
      sizeBytes: 85899345920,
      smart: 'PASSED',
    });
    expect(refreshed.lvm?.thinPools).toContainEqual({ vg: 'vmdata', name: 'vmstore', sizeBytes: 85899345920 });
    const again = await runPlan(lvmThinJob.plan(s, refreshed), exec);
    expect(again.error).toBeUndefined();
    expect(again.ran).toEqual([LVS, 'pvesm status --storage vmstore']);
    expect(fieldErrors(() => lvmThinJob.plan(spec({ disk, vgName: 'vg2', thinPool: 'p2' }), refreshed))).toEqual([
      { field: 'params.disk', message: `${disk} (/dev/sdb) is in use (LVM)` },
    ]);
    // Read back after a lost worker: the pool is there.
    const readBack = await runPlan({ steps: lvmThinJob.verifyAfterLoss?.(s) ?? [] }, exec);
    expect(readBack.error).toBeUndefined();
  });

  it('refuses the failing and the SMART-disabled disk from the facts; ignoreSmart goes through', async () => {
    const failing = await byId('/dev/sdc');
    const f = await nodeFacts();
    expect(fieldErrors(() => lvmThinJob.plan(spec({ disk: failing, vgName: 'vg3', thinPool: 'p3' }), f))).toEqual([
      {
        field: 'params.disk',
        message: `${failing} (/dev/sdc) fails its S.M.A.R.T. health check: "SMART overall-health self-assessment test result: FAILED!", "Drive failure expected in less than 24 hours. SAVE ALL DATA.", "No failed Attributes found."; not using it (set ignoreSmart: true to use it anyway)`,
      },
    ]);
    const disabled = await byId('/dev/sdd');
    expect(fieldErrors(() => lvmThinJob.plan(spec({ disk: disabled, vgName: 'vg4', thinPool: 'p4' }), f))[0].message).toContain(
      `${disabled} (/dev/sdd) has S.M.A.R.T. disabled: "SMART Disabled. Use option -s with argument 'on' to enable it."`,
    );
    const forced = await runPlan(lvmThinJob.plan(spec({ disk: failing, vgName: 'vg3', thinPool: 'p3', ignoreSmart: true }), f), exec);
    expect(forced.error).toBeUndefined();
  });

  it('without a S.M.A.R.T. status in the facts, the smartctl step stops the task before the disk is touched', async () => {
    const disabled = await byId('/dev/sdd');
    const f = await nodeFacts();
    const stripped = { ...f, disks: (f.disks ?? []).map(({ smart: _smart, ...d }) => d) };
    const run = await runPlan(lvmThinJob.plan(spec({ disk: disabled, vgName: 'vg4', thinPool: 'p4' }), stripped), exec);
    expect(run.ran).toEqual([`smartctl -H -A ${disabled}`]);
    expect(run.error).toBe(
      `${disabled} (/dev/sdd) has S.M.A.R.T. disabled: "SMART Disabled. Use option -s with argument 'on' to enable it."; not using it (enable it with smartctl -s on /dev/sdd, or set ignoreSmart: true to use it anyway)`,
    );
  });

  it('fails the read-back when the pool is not what was asked', async () => {
    const run = await runPlan({ steps: lvmThinJob.verifyAfterLoss?.(spec({ vgName: 'vmdata', thinPool: 'nope' })) ?? [] }, exec);
    expect(run.error).toBe('thin pool vmdata/nope does not exist (lvs exit 5)');
  });
});
