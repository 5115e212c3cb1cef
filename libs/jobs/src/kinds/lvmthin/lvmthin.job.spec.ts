import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '@pvefleet/simulator';
import type { DiskFacts, NodeFacts } from '../../node-facts';
import { SpecError } from '../../spec-error';
import { pveNodeFacts } from '../../testing/node-facts.fixture';
import { runPlan } from '../clustercheck/run-plan.spec-helper';
import { parseDisks } from '../facts/parse/disks';
import { lvmThinJob } from './lvmthin.job';
import { smartProblem } from './smart-health';

const SDB = '/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-1';
const hdd = (name: string, serial: string, used: string | null = null): DiskFacts => ({
  path: `/dev/${name}`,
  byId: [`/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_${serial}`],
  sizeBytes: 4000787030016,
  model: 'WDC WD40EFRX-68N32N0',
  serial,
  used,
});
const facts = (disks: DiskFacts[] = [hdd('sdb', 'WD-1'), hdd('sdc', 'WD-2', 'partitions'), hdd('sdd', 'WD-3', 'LVM')]): NodeFacts =>
  pveNodeFacts(8, { hostname: 'pve1', disks, storages: [{ id: 'local-lvm', type: 'lvmthin', status: 'active' }] });
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

describe('lvmthin spec and plan', () => {
  it("plans exactly the seed's commands behind the S.M.A.R.T. gate, then reads the pool back", () => {
    const plan = lvmThinJob.plan(spec({ storageId: 'vmstore' }), facts());
    expect(plan.steps.map((s) => s.command)).toEqual([
      `smartctl -H -A ${SDB}`,
      `sgdisk -N 1 ${SDB}`,
      `pvcreate --metadatasize 250k -y -ff ${SDB}-part1`,
      `vgcreate vmdata ${SDB}-part1`,
      'lvcreate -L 80G -T -n vmstore vmdata',
      'pvesm add lvmthin vmstore --vgname vmdata --thinpool vmstore --content images,rootdir --nodes pve1',
      'lvs --noheadings --units b --nosuffix -o lv_name,vg_name,lv_attr,lv_size vmdata/vmstore',
      'pvesm status --storage vmstore',
    ]);
    expect(lvmThinJob.plan(spec({ ignoreSmart: true }), facts()).steps[0].command).toBe(`sgdisk -N 1 ${SDB}`);
    expect(lvmThinJob.objectId?.(spec())).toBe('vmstore');
    expect(lvmThinJob.verifyAfterLoss?.(spec()).map((s) => s.command)).toEqual([
      'lvs --noheadings --units b --nosuffix -o lv_name,vg_name,lv_attr,lv_size vmdata/vmstore',
    ]);
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

  it('refuses a disk with partitions, a PV, or unknown to the node; a size that does not fit; an existing storage', () => {
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
    expect(fieldErrors(() => lvmThinJob.plan(spec(), null))[0].field).toBe('params.disk');
  });

  it('reads smartctl the way PVE does: only a PASSED result passes', () => {
    const banner = 'smartctl 7.3 2022-02-28 r5338 [x86_64-linux-6.8.12-4-pve] (local build)\nCopyright (C) 2002-22\n\n';
    expect(
      smartProblem('/dev/sdb', {
        stdout: `${banner}=== START OF READ SMART DATA SECTION ===\nSMART overall-health self-assessment test result: PASSED`,
        exitCode: 0,
      }),
    ).toBeUndefined();
    expect(smartProblem('/dev/sdb', { stdout: `${banner}SMART Health Status: OK`, exitCode: 0 })).toBeUndefined();
    expect(smartProblem('/dev/sdz', { stdout: `${banner}Smartctl open device: /dev/sdz failed: No such device`, exitCode: 2 })).toBe(
      '/dev/sdz: smartctl cannot read its S.M.A.R.T. data (exit 2): "Smartctl open device: /dev/sdz failed: No such device"',
    );
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
  const nodeFacts = async (): Promise<NodeFacts> =>
    pveNodeFacts(8, {
      hostname: 'pve1',
      disks: parseDisks((await exec('pvesh get /nodes/pve1/disks/list --output-format json')).stdout) ?? [],
      storages: [],
    });
  const byId = async (path: string): Promise<string> => {
    const disk = (await nodeFacts()).disks?.find((d) => d.path === path);
    return disk?.byId[0] ?? '';
  };

  it('creates the pool and the storage; the same disk is refused afterwards as in use (LVM)', async () => {
    const disk = await byId('/dev/sdb');
    const s = spec({ disk, storageId: 'vmstore' });
    const run = await runPlan(lvmThinJob.plan(s, await nodeFacts()), exec);
    expect(run.error).toBeUndefined();
    expect(run.outputs.lvs.stdout).toBe('  vmstore vmdata twi-a-tz-- 85899345920');
    expect(lvmThinJob.finish?.(s, run.outputs, { facts: null, now: 0 }).result).toMatchObject({ sizeBytes: 85899345920, smart: 'passed' });
    expect(sim.readFile('pve1', '/etc/pve/storage.cfg')).toContain(
      'lvmthin: vmstore\n\tvgname vmdata\n\tthinpool vmstore\n\tcontent images,rootdir\n\tnodes pve1\n',
    );
    const refreshed = await nodeFacts();
    expect(fieldErrors(() => lvmThinJob.plan(spec({ disk, vgName: 'vg2', thinPool: 'p2' }), refreshed))).toEqual([
      { field: 'params.disk', message: `${disk} (/dev/sdb) is in use (LVM)` },
    ]);
    // Read back after a lost worker: the pool is there.
    const readBack = await runPlan({ steps: lvmThinJob.verifyAfterLoss?.(s) ?? [] }, exec);
    expect(readBack.error).toBeUndefined();
  });

  it('stops at the S.M.A.R.T. gate on a failing or SMART-disabled disk, naming it and the lines that decided', async () => {
    const failing = await byId('/dev/sdc');
    const run = await runPlan(lvmThinJob.plan(spec({ disk: failing, vgName: 'vg3', thinPool: 'p3' }), await nodeFacts()), exec);
    expect(run.error).toBe(
      `${failing} fails its S.M.A.R.T. health check: "SMART overall-health self-assessment test result: FAILED!", "Drive failure expected in less than 24 hours. SAVE ALL DATA.", "No failed Attributes found."; not using it (set ignoreSmart: true to use it anyway)`,
    );
    expect(run.ran).toEqual([`smartctl -H -A ${failing}`]);
    const disabled = await byId('/dev/sdd');
    const off = await runPlan(lvmThinJob.plan(spec({ disk: disabled, vgName: 'vg4', thinPool: 'p4' }), await nodeFacts()), exec);
    expect(off.error).toBe(
      `${disabled}: S.M.A.R.T. is not available: "SMART Disabled. Use option -s with argument 'on' to enable it."; not using it (set ignoreSmart: true to use it anyway)`,
    );
    const forced = await runPlan(
      lvmThinJob.plan(spec({ disk: failing, vgName: 'vg3', thinPool: 'p3', ignoreSmart: true }), await nodeFacts()),
      exec,
    );
    expect(forced.error).toBeUndefined();
  });

  it('fails the read-back when the pool is not what was asked', async () => {
    const run = await runPlan({ steps: lvmThinJob.verifyAfterLoss?.(spec({ vgName: 'vmdata', thinPool: 'nope' })) ?? [] }, exec);
    expect(run.error).toBe('thin pool vmdata/nope does not exist (lvs exit 5)');
  });
});
