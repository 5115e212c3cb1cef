import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '@pvefleet/simulator';
import type { ZfsArcFacts } from '../../node-facts';
import { specErrorOf } from '../../spec-error.spec-helper';
import { pveNodeFacts } from '../../testing/node-facts.fixture';
import { runPlan } from '../clustercheck/run-plan.spec-helper';
import { factsScript, splitSections } from '../facts/facts-script';
import { parseFacts } from '../facts/parse-facts';
import { withArcMax } from './zfs-conf';
import { zfsArcJob } from './zfsarc.job';
import { arcSize } from './zfsarc-spec';

const GIB8 = 8589934592;
const facts = (zfsArc: ZfsArcFacts | null) => pveNodeFacts(8, { zfsArc });
const spec = (zfsArcMax: unknown) => zfsArcJob.spec.parse({ zfsArcMax });

describe('zfs.conf rewrite', () => {
  it("appends the seed's line, or changes the value where it is, keeping every other line", () => {
    expect(withArcMax(null, GIB8)).toBe('options zfs zfs_arc_max=8589934592\n');
    expect(withArcMax('options zfs zfs_prefetch_disable=1', GIB8)).toBe(
      'options zfs zfs_prefetch_disable=1\noptions zfs zfs_arc_max=8589934592\n',
    );
    expect(withArcMax('# ARC\noptions zfs zfs_arc_min=1073741824 zfs_arc_max=4294967296\noptions spl x=1\n', GIB8)).toBe(
      '# ARC\noptions zfs zfs_arc_min=1073741824 zfs_arc_max=8589934592\noptions spl x=1\n',
    );
    expect(withArcMax('#options zfs zfs_arc_max=1\n', GIB8)).toBe('#options zfs zfs_arc_max=1\noptions zfs zfs_arc_max=8589934592\n');
  });
});

describe('zfsarc plan', () => {
  it('writes zfs.conf, updates the initramfs only on a ZFS root, applies the limit live and reads both back', () => {
    const plan = zfsArcJob.plan(spec(GIB8), facts({ live: 0, configured: null, conf: null }));
    expect(plan.steps.map((s) => s.command)).toEqual([
      "cat > /etc/modprobe.d/zfs.conf <<'PVEFLEET_EOF'\noptions zfs zfs_arc_max=8589934592\nPVEFLEET_EOF",
      'findmnt -n -o FSTYPE /',
      'update-initramfs -u',
      'echo 8589934592 > /sys/module/zfs/parameters/zfs_arc_max',
      'cat /sys/module/zfs/parameters/zfs_arc_max',
      'cat /etc/modprobe.d/zfs.conf',
    ]);
    const initramfs = plan.steps[2].when;
    expect(initramfs?.describe).toBe('the root file system is ZFS');
    expect(initramfs?.holds({ rootfs: { stdout: 'zfs', exitCode: 0 } })).toBe(true);
    expect(initramfs?.holds({ rootfs: { stdout: 'ext4', exitCode: 0 } })).toBe(false);
    expect(plan.notes).toContain('zfs_arc_max is 0 (ZFS default) now: applying 8589934592 (8 GiB)');
  });

  it('already set: reads back only; set in the file but not live: applies it live only', () => {
    const conf = 'options zfs zfs_arc_max=8589934592\n';
    expect(zfsArcJob.plan(spec(GIB8), facts({ live: GIB8, configured: GIB8, conf })).steps.map((s) => s.command)).toEqual([
      'cat /sys/module/zfs/parameters/zfs_arc_max',
      'cat /etc/modprobe.d/zfs.conf',
    ]);
    expect(zfsArcJob.plan(spec(GIB8), facts({ live: 0, configured: GIB8, conf })).steps[0].command).toBe(
      'echo 8589934592 > /sys/module/zfs/parameters/zfs_arc_max',
    );
  });

  it('refuses a node without the zfs module; validates the size like OpenZFS (0 or >= 64 MiB)', () => {
    expect(specErrorOf(() => zfsArcJob.plan(spec(GIB8), facts(null))).errors[0].message).toBe(
      'the zfs module is not loaded on the node (/sys/module/zfs/parameters/zfs_arc_max is absent)',
    );
    expect(zfsArcJob.plan(spec(GIB8), pveNodeFacts()).steps).toEqual([]);
    for (const bad of [1, 67108863, -1, 1.5, '8G']) expect(zfsArcJob.spec.safeParse({ zfsArcMax: bad }).success).toBe(false);
    expect(zfsArcJob.spec.safeParse({ zfsArcMax: 1024 }).error?.issues[0]).toMatchObject({
      path: ['zfsArcMax'],
      message: 'must be 0 (ZFS default) or at least 67108864 (64 MiB)',
    });
    expect(spec(0)).toEqual({ zfsArcMax: 0 });
    expect(spec(67108864)).toEqual({ zfsArcMax: 67108864 });
    expect(arcSize(3 * 1024 ** 3 + 512 * 1024 ** 2)).toBe('3758096384 (3.5 GiB)');
  });
});

describe('zfsarc against the simulator', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ controlPort: false, seed: 5, clusters: [{ name: 'lab', nodes: 2, namePrefix: 'pve', pveMajor: 8 }] });
  });
  afterAll(() => sim.stop());

  const nodeFacts = async (node: string) => parseFacts(splitSections((await sim.exec(node, factsScript())).stdout), Date.now());

  it('ext4 root: conf and live limit, no initramfs; the facts show both', async () => {
    sim.writeFile('pve1', '/etc/modprobe.d/zfs.conf', 'options zfs zfs_prefetch_disable=1\n');
    const run = await runPlan(zfsArcJob.plan(spec(GIB8), await nodeFacts('pve1')), (c) => sim.exec('pve1', c));
    expect(run.error).toBeUndefined();
    expect(run.skipped).toEqual(['update-initramfs -u']);
    expect(sim.readFile('pve1', '/etc/modprobe.d/zfs.conf')).toBe(
      'options zfs zfs_prefetch_disable=1\noptions zfs zfs_arc_max=8589934592\n',
    );
    expect((await nodeFacts('pve1')).zfsArc).toMatchObject({ live: GIB8, configured: GIB8 });
  });

  it("ZFS root: the seed's update-initramfs -u runs", async () => {
    sim.node('pve2').rootFs = 'zfs';
    const run = await runPlan(zfsArcJob.plan(spec(4294967296), await nodeFacts('pve2')), (c) => sim.exec('pve2', c));
    expect(run.error).toBeUndefined();
    expect(run.ran).toContain('update-initramfs -u');
    expect(run.skipped).toEqual([]);
  });
});
