import { describe, expect, it } from 'vitest';
import { resolveStep, type CapturedOutput, type Plan } from '../../job-kind';
import type { DiskFacts, DiskSmart, NodeFacts, PoolFacts } from '../../node-facts';
import { SpecError } from '../../spec-error';
import { zfsCreateJob } from './zfscreate.job';
import { pveNodeFacts } from '../../testing/node-facts.fixture';

const HDD = 4000787030016;
/** What the facts script records for a healthy disk. */
const PASSED: DiskSmart = { health: 'PASSED', lines: ['SMART overall-health self-assessment test result: PASSED'] };
const hdd = (name: string, serial: string, used: string | null = null): DiskFacts => ({
  path: `/dev/${name}`,
  byId: [`/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_${serial}`],
  sizeBytes: HDD,
  model: 'WDC_WD40EFRX-68N32N0',
  serial,
  used,
  smart: PASSED,
});
const nvme = (name: string, serial: string): DiskFacts => ({
  path: `/dev/${name}`,
  byId: [`/dev/disk/by-id/nvme-Samsung_SSD_980_PRO_1TB_${serial}`],
  sizeBytes: 1000204886016,
  model: 'Samsung SSD 980 PRO 1TB',
  serial,
  used: null,
  smart: PASSED,
});

/** A PVE node as the simulator seeds one: a system SSD, six free HDDs, two free NVMe disks. */
function facts(pveMajor: 8 | 9 = 8, patch: Partial<NodeFacts> = {}): NodeFacts {
  return pveNodeFacts(pveMajor, {
    collectedAt: Date.UTC(2026, 2, 8, 12),
    upgradable: [],
    disks: [
      {
        path: '/dev/sda',
        byId: ['/dev/disk/by-id/ata-Samsung_SSD_870_EVO_500GB_S62'],
        sizeBytes: 500107862016,
        model: null,
        serial: null,
        used: 'BIOS boot',
      },
      hdd('sdb', 'WD-1'),
      hdd('sdc', 'WD-2'),
      hdd('sdd', 'WD-3'),
      hdd('sde', 'WD-4'),
      hdd('sdf', 'WD-5'),
      hdd('sdg', 'WD-6'),
      nvme('nvme0n1', 'S5G1'),
      nvme('nvme1n1', 'S5G2'),
    ],
    pools: [],
    storages: [
      { id: 'local', type: 'dir', status: 'active' },
      { id: 'local-lvm', type: 'lvmthin', status: 'active' },
    ],
    ...patch,
  });
}

const spec = (params: Record<string, unknown>) =>
  zfsCreateJob.spec.parse({ name: 'tank', raidLevel: 'mirror', devices: ['/dev/sdb', '/dev/sdc'], ...params });
const plan = (params: Record<string, unknown>, f: NodeFacts | null = facts()) => zfsCreateJob.plan(spec(params), f);
const commands = (p: Plan) => p.steps.map((s) => s.command);

function fieldErrors(fn: () => unknown): Record<string, string> {
  try {
    fn();
  } catch (err) {
    if (err instanceof SpecError) return Object.fromEntries(err.errors.map((e) => [e.field, e.message]));
    throw err;
  }
  throw new Error('expected a SpecError');
}

/**
 * Runs a plan as the task runner does: skips steps whose `when` fails or whose `commandFrom` says
 * there is nothing to do, retries (a `commandFrom` step made again from its last attempt, up to
 * five attempts, without waiting), applies exit codes and `verify`, and stops at the first failure.
 */
function run(p: Plan, answer: (command: string) => Partial<CapturedOutput> | undefined = () => undefined) {
  const outputs: Record<string, CapturedOutput> = {};
  const ran: string[] = [];
  for (const planned of p.steps) {
    if (planned.when && !planned.when.holds(outputs)) continue;
    let step = resolveStep(planned, outputs);
    if (!step) continue;
    let out: CapturedOutput;
    for (let attempt = 1; ; attempt++) {
      ran.push(step.command);
      out = { stdout: '', exitCode: 0, ...answer(step.command) };
      if (!(step.okExitCodes ?? [0]).includes(out.exitCode!))
        return { ran, outputs, error: `command '${step.command}' failed: exit code ${out.exitCode}` };
      if (!step.retry || step.retry.until(out)) break;
      if (attempt === 5) return { ran, outputs, error: `${step.retry.describe}: not reached` };
      step = (planned.capture && resolveStep(planned, { ...outputs, [planned.capture]: out })) || step;
    }
    const problem = step.verify?.(out, outputs);
    if (problem) return { ran, outputs, error: problem };
    if (step.capture) outputs[step.capture] = out;
  }
  return { ran, outputs, error: undefined };
}

/** zpool status -P of a pool the way ZFS shows whole-disk vdevs: partition 1 of each disk. */
function zpoolStatus(name: string, vdevs: [string, string[]][], extra: { logs?: string[]; cache?: string[]; state?: string } = {}): string {
  const rows: string[] = [`\t${name}  ${extra.state ?? 'ONLINE'}  0 0 0`];
  vdevs.forEach(([type, devs], i) => {
    if (type === 'disk') rows.push(...devs.map((d) => `\t  ${d}  ONLINE  0 0 0`));
    else rows.push(`\t  ${type}-${i}  ONLINE  0 0 0`, ...devs.map((d) => `\t    ${d}  ONLINE  0 0 0`));
  });
  if (extra.logs) rows.push('\tlogs\t', ...extra.logs.map((d) => `\t  ${d}  ONLINE  0 0 0`));
  if (extra.cache) rows.push('\tcache', ...extra.cache.map((d) => `\t  ${d}  ONLINE  0 0 0`));
  return `  pool: ${name}\n state: ${extra.state ?? 'ONLINE'}\nconfig:\n\n\tNAME  STATE  READ WRITE CKSUM\n${rows.join('\n')}\n\nerrors: No known data errors\n`;
}

const PVESM_8 =
  'Name             Type     Status           Total            Used       Available        %\nlocal             dir     active        67169672        48329328        15382504   71.95%\ntank          zfspool     active      7470000000              96      7469999904    0.00%\n';
const PVESM_9 = PVESM_8.replace('Total   ', 'Total (KiB)').replace('Used', 'Used (KiB)').replace('Available', 'Available (KiB)');
const STORAGE_CFG = 'dir: local\n\tpath /var/lib/vz\n\tcontent iso,vztmpl,backup\n\n';

/** A node that answers like PVE after a successful mirror create of sdb+sdc. */
function healthyMirror(command: string): Partial<CapturedOutput> | undefined {
  if (command.startsWith('zpool list')) return { stdout: 'tank\tONLINE\n' };
  if (command.startsWith('zpool status')) return { stdout: zpoolStatus('tank', [['mirror', ['/dev/sdb1', '/dev/sdc1']]]) };
  if (command.startsWith('zpool get')) return { stdout: 'tank\tashift\t12\tlocal\n' };
  if (command.startsWith('zfs get')) return { stdout: 'on\n' };
  if (command === 'cat /etc/pve/storage.cfg') return { stdout: STORAGE_CFG };
  if (command === 'pvesm status') return { stdout: PVESM_8 };
  return undefined;
}

describe('zfscreate job', () => {
  it('is a mutating, facts-driven task of PVE’s type whose id is the pool name', () => {
    expect(zfsCreateJob).toMatchObject({ type: 'zfscreate', mutating: true, usesFacts: true });
    expect(zfsCreateJob.objectId!(spec({}))).toBe('tank');
  });

  it.each([8, 9] as const)('PVE %i: creates a mirror with PVE’s commands, then reads it back', (major) => {
    const p = plan({}, facts(major));
    expect(commands(p)).toEqual([
      'zpool create -o ashift=12 tank mirror /dev/sdb /dev/sdc',
      'zfs set compression=on tank',
      'zpool list -H -o name,health tank',
      'zpool status -P tank',
      'zpool get -H ashift tank',
      'zfs get -H -o value compression tank',
    ]);
    expect(p.notes).toEqual([
      'pool tank does not exist on pve1: creating it as mirror(/dev/sdb /dev/sdc), ashift 12, compression on',
      'devices checked against the disks pve1 reported at 2026-03-08T12:00:00.000Z: all exist and are unused',
      'S.M.A.R.T. health (smartctl -H -A when the facts were read): /dev/sdb PASSED, /dev/sdc PASSED',
    ]);
    expect(run(p, healthyMirror).error).toBeUndefined();
  });

  describe('the S.M.A.R.T. gate', () => {
    const FAILED: DiskSmart = {
      health: 'FAILED',
      lines: ['SMART overall-health self-assessment test result: FAILED!', 'Drive failure expected in less than 24 hours. SAVE ALL DATA.'],
    };
    const DISABLED: DiskSmart = { health: 'disabled', lines: ["SMART Disabled. Use option -s with argument 'on' to enable it."] };
    const withSmart = (byPath: Record<string, DiskSmart | undefined>): NodeFacts => {
      const f = facts();
      return { ...f, disks: f.disks!.map((d) => (d.path in byPath ? { ...d, smart: byPath[d.path] } : d)) };
    };

    it('refuses every device that did not pass, by field, naming it and quoting smartctl', () => {
      const f = withSmart({ '/dev/sdc': FAILED, '/dev/nvme0n1': DISABLED });
      expect(fieldErrors(() => plan({ devices: ['/dev/sdb', '/dev/sdc'], cache: ['/dev/nvme0n1'] }, f))).toEqual({
        'params.devices.1':
          '/dev/sdc fails its S.M.A.R.T. health check: "SMART overall-health self-assessment test result: FAILED!", "Drive failure expected in less than 24 hours. SAVE ALL DATA."; not using it (set ignoreSmart: true to use it anyway)',
        'params.cache.0':
          '/dev/nvme0n1 has S.M.A.R.T. disabled: "SMART Disabled. Use option -s with argument \'on\' to enable it."; not using it (enable it with smartctl -s on /dev/nvme0n1, or set ignoreSmart: true to use it anyway)',
      });
    });

    it('ignoreSmart uses them anyway and says so; an existing pool uses no disk, so nothing is checked', () => {
      const f = withSmart({ '/dev/sdc': FAILED });
      const p = plan({ ignoreSmart: true }, f);
      expect(commands(p)[0]).toBe('zpool create -o ashift=12 tank mirror /dev/sdb /dev/sdc');
      expect(p.notes).toContain('ignoreSmart: the disks are used whatever their S.M.A.R.T. health (/dev/sdb PASSED, /dev/sdc FAILED)');
      const pools = [
        {
          name: 'tank',
          health: 'ONLINE',
          sizeBytes: null,
          vdevs: [{ type: 'mirror', devices: ['/dev/sdb1', '/dev/sdc1'] }],
          cache: [],
          log: [],
        },
      ];
      expect(commands(plan({}, { ...f, pools }))[0]).toBe('zpool get -H ashift tank');
    });

    it('facts without a S.M.A.R.T. status (stored before pvefleet read it): smartctl checks the disk first', () => {
      const p = plan({}, withSmart({ '/dev/sdc': undefined }));
      expect(commands(p).slice(0, 2)).toEqual(['smartctl -H -A /dev/sdc', 'zpool create -o ashift=12 tank mirror /dev/sdb /dev/sdc']);
      const banner = 'smartctl 7.3 2022-02-28 r5338 [x86_64-linux-6.8.12-4-pve] (local build)\nCopyright (C) 2002-22\n\n';
      const gate = p.steps[0];
      expect(
        gate.verify?.({ stdout: `${banner}SMART overall-health self-assessment test result: PASSED\n`, exitCode: 0 }, {}),
      ).toBeUndefined();
      expect(gate.verify?.({ stdout: `${banner}SMART overall-health self-assessment test result: FAILED!\n`, exitCode: 8 }, {})).toBe(
        '/dev/sdc fails its S.M.A.R.T. health check: "SMART overall-health self-assessment test result: FAILED!"; not using it (set ignoreSmart: true to use it anyway)',
      );
    });
  });

  it.each([
    ['single', ['/dev/sdb'], '/dev/sdb'],
    ['mirror', ['/dev/sdb', '/dev/sdc', '/dev/sdd'], 'mirror /dev/sdb /dev/sdc /dev/sdd'],
    ['raid10', ['/dev/sdb', '/dev/sdc', '/dev/sdd', '/dev/sde'], 'mirror /dev/sdb /dev/sdc mirror /dev/sdd /dev/sde'],
    [
      'raid10',
      ['/dev/sdb', '/dev/sdc', '/dev/sdd', '/dev/sde', '/dev/sdf', '/dev/sdg'],
      'mirror /dev/sdb /dev/sdc mirror /dev/sdd /dev/sde mirror /dev/sdf /dev/sdg',
    ],
    ['raidz', ['/dev/sdb', '/dev/sdc', '/dev/sdd'], 'raidz /dev/sdb /dev/sdc /dev/sdd'],
    ['raidz2', ['/dev/sdb', '/dev/sdc', '/dev/sdd', '/dev/sde'], 'raidz2 /dev/sdb /dev/sdc /dev/sdd /dev/sde'],
    ['raidz3', ['/dev/sdb', '/dev/sdc', '/dev/sdd', '/dev/sde', '/dev/sdf'], 'raidz3 /dev/sdb /dev/sdc /dev/sdd /dev/sde /dev/sdf'],
  ])('%s of %j: zpool create … %s', (raidLevel, devices, vdevs) => {
    expect(commands(plan({ raidLevel, devices }))[0]).toBe(`zpool create -o ashift=12 tank ${vdevs}`);
  });

  it('cache and log vdevs, ashift, compression, force and by-id devices', () => {
    const p = plan({
      raidLevel: 'raidz',
      devices: ['/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-1', '/dev/sdc', '/dev/sdd'],
      cache: ['/dev/nvme0n1'],
      log: ['/dev/disk/by-id/nvme-Samsung_SSD_980_PRO_1TB_S5G2'],
      ashift: 13,
      compression: 'zstd',
      force: true,
    });
    expect(commands(p).slice(0, 2)).toEqual([
      'zpool create -f -o ashift=13 tank raidz /dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-1 /dev/sdc /dev/sdd cache /dev/nvme0n1 log /dev/disk/by-id/nvme-Samsung_SSD_980_PRO_1TB_S5G2',
      'zfs set compression=zstd tank',
    ]);
    expect(p.notes![0]).toBe(
      'pool tank does not exist on pve1: creating it as raidz1(/dev/sdb /dev/sdc /dev/sdd), cache /dev/nvme0n1, log /dev/nvme1n1, ashift 13, compression zstd',
    );
    const status = zpoolStatus('tank', [['raidz1', ['/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-1-part1', '/dev/sdc1', '/dev/sdd1']]], {
      logs: ['/dev/disk/by-id/nvme-Samsung_SSD_980_PRO_1TB_S5G2-part1'],
      cache: ['/dev/nvme0n1p1'],
    });
    const answers = (c: string) =>
      c.startsWith('zpool status')
        ? { stdout: status }
        : c.startsWith('zpool get')
          ? { stdout: 'tank\tashift\t13\tlocal\n' }
          : c.startsWith('zfs get')
            ? { stdout: 'zstd\n' }
            : healthyMirror(c);
    const done = run(p, answers);
    expect(done.error).toBeUndefined();
    expect(
      zfsCreateJob.finish!(
        spec({
          raidLevel: 'raidz',
          devices: ['/dev/sdb', '/dev/sdc', '/dev/sdd'],
          cache: ['/dev/nvme0n1'],
          log: ['/dev/nvme1n1'],
          ashift: 13,
          compression: 'zstd',
        }),
        { ...done.outputs, create: { stdout: '', exitCode: 0 } },
        { facts: facts(), now: 0 },
      ).result,
    ).toMatchObject({
      pool: 'tank',
      created: true,
      health: 'ONLINE',
      ashift: 13,
      compression: 'zstd',
      layout: {
        vdevs: [{ type: 'raidz1', devices: ['/dev/sdb', '/dev/sdc', '/dev/sdd'] }],
        cache: ['/dev/nvme0n1'],
        log: ['/dev/nvme1n1'],
      },
      layoutText: 'raidz1(/dev/sdb /dev/sdc /dev/sdd), cache /dev/nvme0n1, log /dev/nvme1n1',
      storage: null,
    });
  });

  describe('devices are checked against the node’s disks before anything runs', () => {
    it('a missing device, one in use, one in a pool, and two names for one disk', () => {
      const f = facts(8, {
        disks: facts().disks!.map((d) =>
          d.path === '/dev/sdd' ? { ...d, used: 'ext4' } : d.path === '/dev/sde' ? { ...d, used: 'ZFS' } : d,
        ),
      });
      expect(
        fieldErrors(() =>
          plan(
            {
              raidLevel: 'raid10',
              devices: ['/dev/sdb', '/dev/sdz', '/dev/sdd', '/dev/sde'],
              cache: ['/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-1'],
              log: ['/dev/sda'],
            },
            f,
          ),
        ),
      ).toEqual({
        'params.devices.1': '/dev/sdz does not exist on pve1',
        'params.devices.2': '/dev/sdd is in use (ext4)',
        'params.devices.3': '/dev/sde is in use (ZFS)',
        'params.cache.0': '/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-1 is /dev/sdb, already listed as params.devices.0',
        'params.log.0': '/dev/sda is in use (BIOS boot)',
      });
    });

    it('force lets zpool overwrite a leftover signature, never a disk of an imported pool, LVM or a partition table', () => {
      const used: Record<string, string> = {
        '/dev/sdb': 'ext4',
        '/dev/sdc': 'ZFS',
        '/dev/sdd': 'LVM',
        '/dev/sde': 'partitions',
        '/dev/sdf': 'ZFS',
      };
      const other: PoolFacts = {
        name: 'rpool',
        health: 'ONLINE',
        sizeBytes: 1,
        vdevs: [{ type: 'disk', devices: ['/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-5-part1'] }],
        cache: [],
        log: [],
      };
      const f = facts(8, { disks: facts().disks!.map((d) => (used[d.path] ? { ...d, used: used[d.path] } : d)), pools: [other] });
      expect(
        fieldErrors(() =>
          plan({ raidLevel: 'raidz3', devices: ['/dev/sdb', '/dev/sdc', '/dev/sdd', '/dev/sde', '/dev/sdf'], force: true }, f),
        ),
      ).toEqual({
        'params.devices.2': '/dev/sdd is in use (LVM)',
        'params.devices.3': '/dev/sde is in use (partitions)',
        'params.devices.4': '/dev/sdf is in use (ZFS)',
      });
      const p = plan({ devices: ['/dev/sdb', '/dev/sdc'], force: true }, f);
      expect(commands(p)[0]).toBe('zpool create -f -o ashift=12 tank mirror /dev/sdb /dev/sdc');
      expect(p.notes).toContain('force: zpool create -f overwrites the signature on /dev/sdb (ext4)');
      expect(p.notes![1]).toMatch(/: all exist and are unused or forced$/);
      expect(fieldErrors(() => plan({ devices: ['/dev/sdb', '/dev/sdc'] }, f))).toEqual({
        'params.devices.0': '/dev/sdb is in use (ext4)',
        'params.devices.1': '/dev/sdc is in use (ZFS)',
      });
    });

    it('without a disk list (no facts, or not a PVE node) nothing can be checked', () => {
      expect(fieldErrors(() => plan({}, null))).toEqual({ 'params.devices': 'the node has no facts yet: its disks cannot be checked' });
      expect(fieldErrors(() => plan({}, facts(8, { disks: null })))).toEqual({
        'params.devices': 'the disks of pve1 are unknown: its facts have no PVE disk list',
      });
    });
  });

  describe('an existing pool', () => {
    const mirrorPool: PoolFacts = {
      name: 'tank',
      health: 'ONLINE',
      sizeBytes: HDD,
      vdevs: [{ type: 'mirror', devices: ['/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-2-part1', '/dev/sdb1'] }],
      cache: [],
      log: [],
    };
    const withPool = (pool: PoolFacts) =>
      facts(8, {
        pools: [pool],
        disks: facts().disks!.map((d) => (['/dev/sdb', '/dev/sdc'].includes(d.path) ? { ...d, used: 'ZFS' } : d)),
      });

    it.each([8, 9] as const)('PVE %i: with the requested layout, only verifies, and sets compression only if it differs', (major) => {
      const f = { ...withPool(mirrorPool), pveMajor: major };
      const p = plan({ compression: 'lz4' }, f);
      expect(p.notes).toEqual([
        'pool tank already exists with the requested layout (mirror(/dev/sdb /dev/sdc)): not creating it, only verifying',
      ]);
      expect(commands(p)).toEqual([
        'zpool get -H ashift tank',
        'zfs get -H -o value compression tank',
        'zfs set compression=lz4 tank',
        'zpool list -H -o name,health tank',
        'zpool status -P tank',
        'zfs get -H -o value compression tank',
      ]);
      expect(commands(p).some((c) => c.startsWith('zpool create'))).toBe(false);
      const same = run(p, (c) => (c.startsWith('zfs get') ? { stdout: 'lz4\n' } : healthyMirror(c)));
      expect(same.error).toBeUndefined();
      expect(same.ran).not.toContain('zfs set compression=lz4 tank');
      const result = zfsCreateJob.finish!(spec({ compression: 'lz4' }), same.outputs, { facts: f, now: 0 }).result;
      expect(result).toMatchObject({
        created: false,
        compressionChanged: false,
        compression: 'lz4',
        layoutText: 'mirror(/dev/sdb /dev/sdc)',
      });
      let compression = 'on';
      const changed = run(p, (c) =>
        c.startsWith('zfs set') ? ((compression = 'lz4'), {}) : c.startsWith('zfs get') ? { stdout: `${compression}\n` } : healthyMirror(c),
      );
      expect(changed.error).toBeUndefined();
      expect(changed.ran).toContain('zfs set compression=lz4 tank');
    });

    it('a different ashift is reported before anything changes', () => {
      const done = run(plan({}, withPool(mirrorPool)), (c) =>
        c.startsWith('zpool get') ? { stdout: 'tank\tashift\t9\tlocal\n' } : healthyMirror(c),
      );
      expect(done.error).toBe('pool tank has ashift 9, requested 12 (ashift cannot change after creation)');
      expect(done.ran).toEqual(['zpool get -H ashift tank']);
    });

    it('with another layout: a plan error naming params.name', () => {
      expect(fieldErrors(() => plan({ raidLevel: 'single', devices: ['/dev/sdb'] }, withPool(mirrorPool)))).toEqual({
        'params.name': 'pool tank already exists on pve1 with another layout: mirror(/dev/sdc /dev/sdb) (requested /dev/sdb)',
      });
      expect(Object.keys(fieldErrors(() => plan({ cache: ['/dev/nvme0n1'] }, withPool(mirrorPool))))).toEqual(['params.name']);
    });

    it('adds the storage only when storage.cfg lacks it', () => {
      const p = plan({ addStorage: true }, withPool(mirrorPool));
      expect(commands(p)).toContain('pvesm add zfspool tank --pool tank --content images,rootdir --nodes pve1');
      expect(run(p, healthyMirror).ran).toContain('pvesm add zfspool tank --pool tank --content images,rootdir --nodes pve1');
      const present = run(p, (c) =>
        c === 'cat /etc/pve/storage.cfg'
          ? { stdout: `${STORAGE_CFG}zfspool: tank\n\tpool tank\n\tcontent images,rootdir\n` }
          : healthyMirror(c),
      );
      expect(present.error).toBeUndefined();
      expect(present.ran.some((c) => c.startsWith('pvesm add'))).toBe(false);
    });
  });

  describe('storage registration', () => {
    it('reads storage.cfg first, adds the storage, and checks pvesm status (PVE 8 and 9 headers)', () => {
      const p = plan({ addStorage: true, storageId: 'vmdata', content: ['images'] });
      expect(commands(p)).toEqual([
        'cat /etc/pve/storage.cfg',
        'zpool create -o ashift=12 tank mirror /dev/sdb /dev/sdc',
        'zfs set compression=on tank',
        'pvesm add zfspool vmdata --pool tank --content images --nodes pve1',
        'cat /etc/pve/storage.cfg',
        'pvesm set vmdata --nodes <its nodes>,pve1; cat /etc/pve/storage.cfg',
        'zpool list -H -o name,health tank',
        'zpool status -P tank',
        'zpool get -H ashift tank',
        'zfs get -H -o value compression tank',
        'pvesm status',
      ]);
      for (const pvesm of [PVESM_8, PVESM_9]) {
        const answers = (c: string) => (c === 'pvesm status' ? { stdout: pvesm.replace(/^tank /m, 'vmdata') } : healthyMirror(c));
        const done = run(p, answers);
        expect(done.error).toBeUndefined();
        expect(done.ran.filter((c) => c === 'cat /etc/pve/storage.cfg')).toHaveLength(1);
        expect(
          zfsCreateJob.finish!(spec({ addStorage: true, storageId: 'vmdata' }), done.outputs, { facts: facts(), now: 0 }).result,
        ).toMatchObject({
          storage: { id: 'vmdata', added: true, type: 'zfspool', status: 'active' },
        });
      }
    });

    it('a storage id taken by another kind of storage: 400 from facts, or a stop before zpool create from storage.cfg', () => {
      expect(fieldErrors(() => plan({ name: 'local', addStorage: true }))).toEqual({
        'params.name': 'storage local already exists on pve1 as a dir storage',
      });
      expect(fieldErrors(() => plan({ addStorage: true, storageId: 'local-lvm' }))).toEqual({
        'params.storageId': 'storage local-lvm already exists on pve1 as a lvmthin storage',
      });
      const p = plan({ addStorage: true });
      const done = run(p, (c) =>
        c === 'cat /etc/pve/storage.cfg' ? { stdout: 'nfs: tank\n\tserver 10.0.0.1\n\texport /tank\n' } : healthyMirror(c),
      );
      expect(done.error).toBe('storage tank already exists as a nfs storage; nothing was created');
      expect(done.ran).toEqual(['cat /etc/pve/storage.cfg']);
    });

    it('the same pool name on another node: this node is added to the storage’s nodes, never a second entry', () => {
      const p = plan({ addStorage: true });
      const cfg = (nodes: string) =>
        `${STORAGE_CFG}zfspool: tank\n\tpool tank\n\tcontent images,rootdir\n${nodes ? `\tnodes ${nodes}\n` : ''}`;
      const listed = run(p, (c) =>
        c === 'cat /etc/pve/storage.cfg'
          ? { stdout: cfg('pve2,pve3') }
          : c.startsWith('pvesm set')
            ? { stdout: cfg('pve2,pve3,pve1') }
            : healthyMirror(c),
      );
      expect(listed.error).toBeUndefined();
      expect(listed.ran.filter((c) => c.startsWith('pvesm'))).toEqual([
        'pvesm set tank --nodes pve2,pve3,pve1; cat /etc/pve/storage.cfg',
        'pvesm status',
      ]);
      expect(zfsCreateJob.finish!(spec({ addStorage: true }), listed.outputs, { facts: facts(), now: 0 }).result).toMatchObject({
        storage: { added: false, nodeAdded: true },
      });

      // Listed already, or no nodes at all (every node): nothing to set.
      for (const nodes of ['pve2,pve1', '']) {
        const done = run(p, (c) => (c === 'cat /etc/pve/storage.cfg' ? { stdout: cfg(nodes) } : healthyMirror(c)));
        expect(done.error, nodes).toBeUndefined();
        expect(
          done.ran.filter((c) => c.startsWith('pvesm')),
          nodes,
        ).toEqual(['pvesm status']);
      }
    });

    it('two nodes adding themselves at once: the one whose change was lost merges again from what it read', () => {
      const p = plan({ addStorage: true });
      const cfg = (nodes: string) => `${STORAGE_CFG}zfspool: tank\n\tpool tank\n\tcontent images,rootdir\n\tnodes ${nodes}\n`;
      // pve3 set "pve2,pve3" right after this node's first set: the first read-back lacks pve1.
      const sets: string[] = [];
      const done = run(p, (c) => {
        if (c === 'cat /etc/pve/storage.cfg') return { stdout: cfg('pve2') };
        if (c.startsWith('pvesm set')) return sets.push(c) === 1 ? { stdout: cfg('pve2,pve3') } : { stdout: cfg('pve2,pve3,pve1') };
        return healthyMirror(c);
      });
      expect(done.error).toBeUndefined();
      expect(sets).toEqual([
        'pvesm set tank --nodes pve2,pve1; cat /etc/pve/storage.cfg',
        'pvesm set tank --nodes pve2,pve3,pve1; cat /etc/pve/storage.cfg',
      ]);
    });

    it('a hostname that is no PVE node name cannot be listed in --nodes: 400 naming addStorage', () => {
      expect(fieldErrors(() => plan({ addStorage: true }, facts(8, { hostname: 'pve_1' })))).toEqual({
        'params.addStorage': "the node's hostname 'pve_1' is no PVE node name, so the storage cannot be limited to it",
      });
      expect(commands(plan({ addStorage: true }, facts(8, { hostname: 'pve1.example.com' })))).toContain(
        'pvesm add zfspool tank --pool tank --content images,rootdir --nodes pve1',
      );
    });

    it('another node registering the same storage meanwhile counts; a real pvesm failure reports what exists', () => {
      const p = plan({ addStorage: true });
      let reads = 0;
      const raced = run(p, (c) => {
        if (c.startsWith('pvesm add')) return { exitCode: 255 };
        if (c === 'cat /etc/pve/storage.cfg')
          return { stdout: reads++ ? `${STORAGE_CFG}zfspool: tank\n\tpool tank\n\tcontent images,rootdir\n` : STORAGE_CFG };
        return healthyMirror(c);
      });
      expect(raced.error).toBeUndefined();
      const failed = run(p, (c) => (c.startsWith('pvesm add') ? { exitCode: 255 } : healthyMirror(c)));
      expect(failed.error).toBe(
        "command 'pvesm add zfspool tank --pool tank --content images,rootdir --nodes pve1' failed: exit code 255 - pool tank was created on pve1 and exists now (mirror(/dev/sdb /dev/sdc)); compression set to on; storage tank not added",
      );
    });
  });

  describe('nothing half-done goes unreported', () => {
    it('zpool create failing stops the task with Proxmox’s wording: nothing else runs', () => {
      const done = run(plan({}), (c) => (c.startsWith('zpool create') ? { exitCode: 1 } : healthyMirror(c)));
      expect(done.error).toBe("command 'zpool create -o ashift=12 tank mirror /dev/sdb /dev/sdc' failed: exit code 1");
      expect(done.ran).toHaveLength(1);
    });

    it('a failure after zpool create says the pool exists', () => {
      const done = run(plan({ addStorage: true }), (c) => (c.startsWith('zfs set') ? { exitCode: 1 } : healthyMirror(c)));
      expect(done.error).toBe(
        "command 'zfs set compression=on tank' failed: exit code 1 - pool tank was created on pve1 and exists now (mirror(/dev/sdb /dev/sdc)); compression not set to on; storage tank not added",
      );
    });

    it.each([
      ['zpool list', { stdout: 'tank\tDEGRADED\n' }, 'pool tank is DEGRADED, expected ONLINE'],
      ['zpool list', { stdout: '' }, 'zpool list does not show pool tank'],
      [
        'zpool status',
        { stdout: zpoolStatus('tank', [['mirror', ['/dev/sdb1', '/dev/sdd1']]]) },
        'pool tank has the layout mirror(/dev/sdb /dev/sdd), expected mirror(/dev/sdb /dev/sdc)',
      ],
      [
        'zpool status',
        {
          stdout: zpoolStatus('tank', [
            ['disk', ['/dev/sdb1']],
            ['disk', ['/dev/sdc1']],
          ]),
        },
        'pool tank has the layout /dev/sdb /dev/sdc, expected mirror(/dev/sdb /dev/sdc)',
      ],
      ['zfs get', { stdout: 'off\n' }, 'pool tank has compression off, expected on'],
      ['pvesm status', { stdout: PVESM_8.replace(/^tank.*\n/m, '') }, 'pvesm status does not list storage tank'],
      [
        'pvesm status',
        { stdout: PVESM_9.replace('active      7470000000', 'inactive            0') },
        'storage tank is inactive, expected active',
      ],
    ])('read-back of %s fails: %s', (prefix, answer, problem) => {
      const done = run(plan({ addStorage: true }), (c) => (c.startsWith(prefix) ? answer : healthyMirror(c)));
      expect(done.error).toBe(
        `${problem} - pool tank was created on pve1 and exists now (mirror(/dev/sdb /dev/sdc)); compression set to on; storage tank added for pve1`,
      );
    });
  });

  it('device names go through shellQuote (the devicePath format leaves nothing it has to quote)', () => {
    const f = facts(8, { disks: [...facts().disks!, { ...hdd('sdh', 'X'), byId: ['/dev/disk/by-id/scsi-0QEMU_QEMU:HARDDISK@1'] }] });
    const p = plan({ devices: ['/dev/disk/by-id/scsi-0QEMU_QEMU:HARDDISK@1', '/dev/sdc'] }, f);
    expect(commands(p)[0]).toBe('zpool create -o ashift=12 tank mirror /dev/disk/by-id/scsi-0QEMU_QEMU:HARDDISK@1 /dev/sdc');
  });
});
