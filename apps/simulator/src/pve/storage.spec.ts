import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../simulator';
import { startTestSim } from '../testing/sim-harness';
import { byIdName, dataHdd } from '../model/disks';

describe('disks, ZFS and storage', () => {
  let sim: Simulator;
  afterEach(() => sim.stop());

  it('lsblk -J uses util-linux layout (3-space indent, "},{" between siblings)', async () => {
    sim = await startTestSim();
    const r = await sim.exec('pve1', 'lsblk -J -b -o NAME,PATH,SIZE,TYPE,FSTYPE,MOUNTPOINT,MODEL,SERIAL,WWN,ROTA');
    const parsed = JSON.parse(r.stdout) as { blockdevices: { name: string; children?: unknown[]; rota: boolean; size: number }[] };
    expect(parsed.blockdevices.map((d) => d.name)).toEqual(['sda', 'sdb', 'sdc', 'sdd', 'nvme0n1']);
    expect(r.stdout.startsWith('{\n   "blockdevices": [\n      {\n         "name": "sda",\n')).toBe(true);
    expect(r.stdout).toContain('\n      },{\n         "name": "sdb",\n');
    expect(r.stdout.endsWith('\n   ]\n}\n')).toBe(true);
    expect(parsed.blockdevices[1]).toMatchObject({ rota: true, size: 4000787030016 });
    expect((await sim.exec('pve1', 'lsblk /dev/sdz')).code).toBe(32);
  });

  it('zpool create applies ZFS vdev and name rules with their messages', async () => {
    sim = await startTestSim();
    const cases: [string, number, unknown][] = [
      ['zpool create tank', 2, expect.stringMatching(/^missing vdev specification\nusage:\n\tcreate /)],
      ['zpool create tank raidz2 sdb sdc', 1, 'invalid vdev specification: raidz2 requires at least 3 devices\n'],
      ['zpool create tank mirror sdb', 1, 'invalid vdev specification: mirror requires at least 2 devices\n'],
      ['zpool create tank sdz', 1, "cannot open 'sdz': no such device in /dev\nmust be a full path or shorthand device name\n"],
      ['zpool create mirrorpool mirror sdb sdc', 1, "cannot create 'mirrorpool': name is reserved\n"],
      ['zpool create 1tank sdb', 1, "cannot create '1tank': name must begin with a letter\n"],
      ['zpool create ta/nk sdb', 1, "cannot create 'ta/nk': invalid character '/' in pool name\n"],
      ['zpool create c0d0 sdb', 1, "cannot create 'c0d0': pool name is reserved\n"],
      ['zpool create tank mirror sdb sdc sdd', 0, ''],
    ];
    for (const [cmd, code, stderr] of cases) expect(await sim.exec('pve1', cmd), cmd).toMatchObject({ code, stderr });
    expect(await sim.exec('pve1', 'zpool create tank nvme0n1')).toMatchObject({
      code: 1,
      stderr: "cannot create 'tank': pool already exists\n",
    });
    expect(await sim.exec('pve1', 'zpool create other sdb')).toMatchObject({
      code: 1,
      stderr: '/dev/sdb is in use and contains a unknown filesystem.\n',
    });
    expect((await sim.exec('pve1', 'zpool list -H -o name,size,alloc,free,health')).stdout).toMatch(
      /^tank\t3\.\d\dT\t\d+K\t3\.\d\dT\tONLINE\n$/,
    );
  });

  it('a device already in use needs -f, an active foreign pool cannot be forced', async () => {
    sim = await startTestSim();
    sim.setDiskState('pve1', 'sdb', { fstype: 'ext4' });
    expect(await sim.exec('pve1', 'zpool create -o ashift=12 tank mirror sdb sdc')).toMatchObject({
      code: 1,
      stderr: "invalid vdev specification\nuse '-f' to override the following errors:\n/dev/sdb contains a filesystem of type 'ext4'\n",
    });
    sim.setDiskState('pve1', 'sdd', { foreignPool: { name: 'oldpool', state: 'active' } });
    expect(await sim.exec('pve1', 'zpool create -f tank2 mirror sdd nvme0n1')).toMatchObject({
      code: 1,
      stderr: "invalid vdev specification\nthe following errors must be manually repaired:\n/dev/sdd1 is part of active pool 'oldpool'\n",
    });
    expect((await sim.exec('pve1', 'zpool create -f -o ashift=12 tank mirror sdb sdc')).code).toBe(0);
  });

  it('zpool status, zfs set and pvesm add/status work together through the shared storage.cfg', async () => {
    sim = await startTestSim();
    await sim.exec('pve1', 'zpool create -o ashift=12 tank mirror /dev/sdb /dev/sdc');
    expect((await sim.exec('pve1', 'zpool status tank')).stdout).toBe(
      '  pool: tank\n state: ONLINE\nconfig:\n\n\tNAME        STATE     READ WRITE CKSUM\n\ttank        ONLINE       0     0     0\n\t  mirror-0  ONLINE       0     0     0\n\t    sdb     ONLINE       0     0     0\n\t    sdc     ONLINE       0     0     0\n\nerrors: No known data errors\n',
    );
    expect(await sim.exec('pve1', 'zpool status nope')).toMatchObject({ code: 1, stderr: "cannot open 'nope': no such pool\n" });
    expect((await sim.exec('pve1', 'zfs set compression=lz4 tank && zfs get -H -o value compression tank')).stdout).toBe('lz4\n');
    expect((await sim.exec('pve1', 'zfs set compression=fast tank')).code).toBe(1);
    expect((await sim.exec('pve1', 'pvesm add zfspool tank --pool tank --content images,rootdir --sparse 1 --nodes pve1')).code).toBe(0);
    expect(sim.readFile('pve2', '/etc/pve/storage.cfg')).toContain(
      'zfspool: tank\n\tpool tank\n\tcontent images,rootdir\n\tnodes pve1\n\tsparse 1\n',
    );
    expect((await sim.exec('pve1', 'pvesm add zfspool tank --pool tank')).stderr).toBe(
      "create storage failed: storage ID 'tank' already defined\n",
    );
    const status = (await sim.exec('pve1', 'pvesm status')).stdout.split('\n');
    expect(status[0]).toBe('Name            Type     Status           Total            Used       Available        %');
    expect(status.find((l) => l.startsWith('tank'))).toMatch(/^tank\s+zfspool\s+active\s+\d+/);
    expect((await sim.exec('pve2', 'pvesm status')).stdout).not.toContain('tank');
  });

  it("pvesm set --nodes replaces the list, --delete nodes makes it every node's; status follows the list", async () => {
    sim = await startTestSim();
    await sim.exec('pve1', 'zpool create tank mirror /dev/sdb /dev/sdc');
    await sim.exec('pve2', 'zpool create tank mirror /dev/sdb /dev/sdc');
    expect((await sim.exec('pve1', 'pvesm add zfspool tank --pool tank --content images,rootdir --nodes pve1')).code).toBe(0);
    const listed = async () =>
      (
        await Promise.all(sim.nodes().map(async (n) => ((await sim.exec(n.name, 'pvesm status')).stdout.match(/^tank\s/m) ? [n.name] : [])))
      ).flat();
    expect(await listed()).toEqual(['pve1']);
    expect((await sim.exec('pve2', 'pvesm set tank --nodes pve1,pve2')).code).toBe(0);
    expect(sim.readFile('pve3', '/etc/pve/storage.cfg')).toContain(
      'zfspool: tank\n\tpool tank\n\tcontent images,rootdir\n\tnodes pve1,pve2\n',
    );
    expect(await listed()).toEqual(['pve1', 'pve2']);
    expect((await sim.exec('pve1', 'pvesm set tank --delete nodes')).code).toBe(0);
    expect(await listed()).toEqual(sim.nodes().map((n) => n.name));
    expect(await sim.exec('pve1', 'pvesm set nope --nodes pve1')).toMatchObject({
      code: 255,
      stderr: "update storage failed: error during cfs-locked 'file-storage_cfg' operation: storage 'nope' does not exist\n",
    });
    const badNodes = await sim.exec('pve1', "pvesm set tank --nodes 'pve1,pve 2'");
    expect(badNodes.code).toBe(255);
    expect(badNodes.stderr).toContain("nodes: invalid format - value 'pve 2' does not look like a valid node name");
  });

  it('log and cache vdevs: zpool status shows their sections, PVE counts their disks as used, destroy frees them', async () => {
    sim = await startTestSim();
    expect((await sim.exec('pve1', 'zpool create -o ashift=12 tank mirror /dev/sdb /dev/sdc cache /dev/nvme0n1 log /dev/sdd')).code).toBe(
      0,
    );
    expect((await sim.exec('pve1', 'zpool status tank')).stdout).toBe(
      '  pool: tank\n state: ONLINE\nconfig:\n\n\tNAME        STATE     READ WRITE CKSUM\n\ttank        ONLINE       0     0     0\n\t  mirror-0  ONLINE       0     0     0\n\t    sdb     ONLINE       0     0     0\n\t    sdc     ONLINE       0     0     0\n' +
        '\tlogs\t\n\t  sdd       ONLINE       0     0     0\n\tcache\n\t  nvme0n1   ONLINE       0     0     0\n\nerrors: No known data errors\n',
    );
    expect(sim.state('pve1').disks.map((d) => [d.name, d.used])).toEqual([
      ['sda', 'BIOS boot'],
      ['sdb', 'ZFS'],
      ['sdc', 'ZFS'],
      ['sdd', 'ZFS'],
      ['nvme0n1', 'ZFS'],
    ]);
    expect(await sim.exec('pve1', 'zpool create other /dev/nvme0n1')).toMatchObject({
      code: 1,
      stderr: '/dev/nvme0n1 is in use and contains a unknown filesystem.\n',
    });
    expect((await sim.exec('pve1', 'zpool destroy tank')).code).toBe(0);
    expect(
      sim
        .state('pve1')
        .disks.filter((d) => d.used === null)
        .map((d) => d.name),
    ).toEqual(['sdb', 'sdc', 'sdd', 'nvme0n1']);
    expect((await sim.exec('pve1', 'zpool create t2 mirror sdb sdc log mirror sdd nvme0n1')).code).toBe(0);
    expect((await sim.exec('pve1', 'zpool status t2')).stdout).toContain(
      '\tlogs\t\n\t  mirror-1   ONLINE       0     0     0\n\t    sdd      ONLINE',
    );
    expect(await sim.exec('pve1', 'zpool create t3 cache sdb')).toMatchObject({
      code: 1,
      stderr: 'invalid vdev specification: at least one toplevel vdev must be specified\n',
    });
  });

  it('zpool status -P shows the partition zpool made on each whole disk, by the path it was given', async () => {
    sim = await startTestSim();
    const node = sim.node('pve1');
    node.disks.push(dataHdd('sde', 0, 5));
    const byId = `/dev/disk/by-id/${byIdName(node.disks[1])}`;
    expect((await sim.exec('pve1', `zpool create tank raidz ${byId} /dev/sdc sde cache /dev/nvme0n1`)).code).toBe(0);
    const status = (await sim.exec('pve1', 'zpool status -P tank')).stdout;
    expect(status).toContain(`\t  raidz1-0 `);
    for (const leaf of [`${byId}-part1`, '/dev/sdc1', '/dev/sde1', '/dev/nvme0n1p1'])
      expect(status).toMatch(new RegExp(`\\t {2,4}${leaf.replace(/[.]/g, '\\.')} +ONLINE`));
    const short = (await sim.exec('pve1', 'zpool status tank')).stdout;
    expect(short).toContain(`\t    ${byIdName(node.disks[1])}  ONLINE`);
    expect(short).toContain('\t    sde ');
    expect((await sim.exec('pve1', 'zpool get -H ashift tank')).stdout).toBe('tank\tashift\t12\tlocal\n');
  });
});
