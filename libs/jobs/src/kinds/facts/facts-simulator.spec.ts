import { beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '@pvefleet/simulator';
import type { NodeFacts } from '../../node-facts';
import { factsScript, splitSections } from './facts-script';
import { parseFacts } from './parse-facts';

/**
 * The facts script against the fleet simulator, an independent peer built from the same public
 * formats: what the parsers make of its output must agree with the state it reports.
 */
describe('facts against the simulator', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startSimulator({
      controlPort: false,
      seed: 7,
      clusters: [{ name: 'lab', nodes: 3, namePrefix: 'pve', pveMajor: 8, guestsPerNode: { vms: 1, cts: 0 } }],
      standalone: { count: 1, pveMajor: 9 },
      haDelayMs: 1,
      migrationDelayMs: 1,
    });
    // The suite's teardown, registered only once the simulator runs.
    return () => sim.stop();
  });

  async function facts(node: string): Promise<NodeFacts> {
    const { stdout, code } = await sim.exec(node, factsScript());
    expect(code).toBe(0);
    return parseFacts(splitSections(stdout), Date.now());
  }

  it('reads identity, kernels and pending upgrades as the node has them', async () => {
    const f = await facts('pve1');
    const state = sim.state('pve1');
    expect(f.hostname).toBe('pve1');
    expect(f.kernel).toBe(state.runningKernel);
    expect(f.pveManagerVersion).toBe(state.pveVersion);
    expect(f.pveMajor).toBe(8);
    expect(f.bootId).toBe(state.bootId);
    expect(f.kernels).toEqual({
      running: state.runningKernel,
      installed: state.installedKernels,
      pinned: state.pinnedKernel,
      next: state.nextBootKernel,
      rebootRequired: state.rebootRequired,
    });
    expect(f.upgradable?.map((p) => [p.name, p.from, p.version])).toEqual(state.upgradable.map((p) => [p.name, p.from, p.to]));
  });

  it('reads the APT sources files byte for byte', async () => {
    const f = await facts('pve1');
    expect(f.aptSources.length).toBeGreaterThan(0);
    for (const file of f.aptSources) expect(file.content).toBe(sim.readFile('pve1', file.path));
  });

  it('reads disks, storages and the ACME certificate', async () => {
    const f = await facts('pve1');
    const state = sim.state('pve1');
    expect(f.disks?.map((d) => d.path)).toEqual(state.disks.map((d) => `/dev/${d.name}`));
    expect(f.disks?.map((d) => d.used)).toEqual(state.disks.map((d) => d.used));
    expect(f.storages?.map((s) => s.id)).toEqual(expect.arrayContaining(['local', 'local-lvm']));
    expect(f.certificate?.notAfter).toBe(state.certificates.pveproxy?.notAfter);
    expect(f.certificate?.fingerprint).toBe(state.certificates.pveproxy?.fingerprint);
    expect(f.acme).toEqual({
      account: 'default',
      domains: ['pve1.pvefleet.test'],
      accounts: ['default'],
      domainConfig: [{ domain: 'pve1.pvefleet.test', plugin: 'standalone', key: 'acme' }],
      plugins: [{ id: 'standalone', type: 'standalone' }],
    });
  });

  it('reads a DNS plugin and the domains validated through it, never its credentials', async () => {
    const add = await sim.exec(
      'pve2',
      "printf 'CF_Token=s3cr3t-token\\n' > /root/cf.env && pvenode acme plugin add dns cfdns --api cf --data /root/cf.env && pvenode config set --acme account=default --acmedomain0 pve2.pvefleet.test,plugin=cfdns --acmedomain1 'www.pvefleet.test,plugin=cfdns,alias=_acme.pvefleet.net'",
    );
    expect(add.stderr).toBe('');
    const { stdout } = await sim.exec('pve2', factsScript());
    const stored = Buffer.from('CF_Token=s3cr3t-token\n').toString('base64url');
    expect(sim.readFile('pve2', '/etc/pve/priv/acme/plugins.cfg')).toBe(
      `standalone: standalone\n\ndns: cfdns\n\tapi cf\n\tdata ${stored}\n`,
    );
    expect(stdout).not.toContain(stored);
    const f = parseFacts(splitSections(stdout), Date.now());
    expect(f.acme).toEqual({
      account: 'default',
      domains: ['pve2.pvefleet.test', 'www.pvefleet.test'],
      accounts: ['default'],
      domainConfig: [
        { domain: 'pve2.pvefleet.test', plugin: 'cfdns', key: 'acmedomain0' },
        { domain: 'www.pvefleet.test', plugin: 'cfdns', alias: '_acme.pvefleet.net', key: 'acmedomain1' },
      ],
      plugins: [
        { id: 'cfdns', type: 'dns', api: 'cf' },
        { id: 'standalone', type: 'standalone' },
      ],
    });
  });

  it('follows an aged certificate', async () => {
    sim.ageCertificate('pve3', 80);
    const f = await facts('pve3');
    expect(f.certificate?.notAfter).toBe(sim.state('pve3').certificates.pveproxy?.notAfter);
    expect(f.certificate!.notAfter * 1000).toBeLessThan(f.collectedAt);
  });

  it('reads a pool after zpool create', async () => {
    expect((await facts('pve2')).pools).toEqual([]);
    expect((await sim.exec('pve2', 'zpool create -o ashift=12 tank mirror /dev/sdb /dev/sdc')).code).toBe(0);
    const f = await facts('pve2');
    const pools = sim.state('pve2').pools;
    // `zpool status -P` names the partition ZFS made on each whole disk (/dev/sdb1), as real ZFS does.
    const disk = (dev: string) => dev.replace(/^\/dev\//, '').replace(/(\d)p\d+$|(-part\d+)$|([a-z])\d+$/, '$1$3');
    const layout = (vdevs: { type: string; devices: string[] }[]) => vdevs.map((v) => ({ type: v.type, devices: v.devices.map(disk) }));
    expect(f.pools?.map((p) => ({ name: p.name, health: p.health, vdevs: layout(p.vdevs) }))).toEqual(
      pools.map((p) => ({ name: p.name, health: p.health, vdevs: layout(p.vdevs) })),
    );
    expect(f.pools?.[0].vdevs[0].devices).toEqual(['/dev/sdb1', '/dev/sdc1']);
    expect(f.disks?.filter((d) => d.used === 'ZFS').map((d) => d.path)).toEqual(['/dev/sdb', '/dev/sdc']);
  });

  it('sees the clock go out of sync', async () => {
    expect((await facts('pve2')).time).toMatchObject({ daemon: 'chrony', synced: true, leapStatus: 'Normal' });
    sim.setClockSynced('pve2', false);
    const f = await facts('pve2');
    expect(f.time).toMatchObject({
      daemon: 'chrony',
      synced: sim.state('pve2').time.synced,
      leapStatus: 'Not synchronised',
      selectedSource: null,
    });
    expect(f.time.synced).toBe(false);
    sim.setClockSynced('pve2', true);
  });

  it('sees quorum break and come back', async () => {
    const before = await facts('pve1');
    expect(before.cluster).toMatchObject({ name: 'lab', quorate: true, expectedVotes: 3, totalVotes: 3 });
    expect(before.cluster?.members).toHaveLength(3);
    expect(before.ha?.quorumOk).toBe(true);
    sim.breakQuorum('lab');
    try {
      const broken = await facts('pve1');
      expect(broken.cluster).toMatchObject({ quorate: sim.state('pve1').quorate, totalVotes: 1 });
      expect(broken.cluster?.quorate).toBe(false);
      expect(broken.ha?.quorumOk).toBe(false);
    } finally {
      sim.restoreQuorum('lab');
    }
    expect((await facts('pve1')).cluster?.quorate).toBe(true);
  });

  it('sees HA maintenance mode on the node it was enabled for', async () => {
    expect((await facts('pve3')).ha).toMatchObject({ lrmState: 'active', maintenance: false });
    expect((await sim.exec('pve1', 'ha-manager crm-command node-maintenance enable pve3')).code).toBe(0);
    const f = await facts('pve3');
    expect(f.ha).toMatchObject({ lrmState: 'maintenance mode', maintenance: sim.state('pve3').maintenance, masterNode: 'pve1' });
    expect(f.ha?.maintenance).toBe(true);
    expect((await facts('pve1')).ha?.maintenance).toBe(false);
  });

  it("reads every disk's S.M.A.R.T. status, and the installer's LVM", async () => {
    sim.setSmart('pve3', 'sdc', 'failing');
    sim.setSmart('pve3', 'sdd', 'disabled');
    const f = await facts('pve3');
    expect(f.disks?.map((d) => [d.path, d.smart?.health])).toEqual([
      ['/dev/sda', 'PASSED'],
      ['/dev/sdb', 'PASSED'],
      ['/dev/sdc', 'FAILED'],
      ['/dev/sdd', 'disabled'],
      ['/dev/nvme0n1', 'PASSED'],
    ]);
    expect(f.disks?.find((d) => d.path === '/dev/sdc')?.smart?.lines).toEqual([
      'SMART overall-health self-assessment test result: FAILED!',
      'Drive failure expected in less than 24 hours. SAVE ALL DATA.',
      'No failed Attributes found.',
    ]);
    expect(f.lvm).toEqual({
      pvs: [{ device: '/dev/sda3', vg: 'pve', sizeBytes: expect.any(Number) as number }],
      thinPools: [{ vg: 'pve', name: 'data', sizeBytes: 366924611584 }],
    });
    sim.setSmart('pve3', 'sdc', 'healthy');
    sim.setSmart('pve3', 'sdd', 'healthy');
  });

  it('reads the host network: the installer bridge, a bridge and VLAN from interfaces.d once applied, the links', async () => {
    const ip = sim.node('pve2').ip;
    const before = await facts('pve2');
    expect(before.network?.management).toBe('vmbr0');
    expect(before.network?.interfaces.find((i) => i.name === 'vmbr0')).toMatchObject({
      kind: 'bridge',
      addresses: [`${ip}/16`],
      gateway: '10.0.0.1',
      bridge: { ports: ['eno1'], vlanAware: false },
    });
    expect(before.network?.files[0]).toEqual({ path: '/etc/network/interfaces', content: sim.readFile('pve2', '/etc/network/interfaces') });
    sim.writeFile(
      'pve2',
      '/etc/network/interfaces.d/lab',
      'auto vmbr1\niface vmbr1 inet static\n\taddress 10.10.10.2/24\n\tbridge-ports eno2\n\tbridge-vlan-aware yes\n\tbridge-vids 2-4094\n\nauto vmbr1.20\niface vmbr1.20 inet manual\n',
    );
    await sim.exec('pve2', 'ifreload -a');
    const after = await facts('pve2');
    expect(after.network?.interfaces.map((i) => [i.name, i.kind, i.file])).toContainEqual([
      'vmbr1',
      'bridge',
      '/etc/network/interfaces.d/lab',
    ]);
    expect(after.network?.interfaces.find((i) => i.name === 'vmbr1.20')?.vlan).toEqual({ rawDevice: 'vmbr1', id: 20 });
    expect(after.network?.links?.find((l) => l.name === 'eno2')).toMatchObject({ master: 'vmbr1', state: 'UP' });
    expect(after.network?.links?.find((l) => l.name === 'vmbr1')?.addresses).toEqual(['10.10.10.2/24']);
    await sim.exec('pve2', 'rm /etc/network/interfaces.d/lab && ifreload -a');
  });

  it('reads a standalone PVE 9 node: no cluster, deb822 sources', async () => {
    const f = await facts('pve-sa1');
    expect(f.pveMajor).toBe(9);
    expect(f.os.codename).toBe('trixie');
    expect(f.cluster).toBeNull();
    expect(f.ha?.services).toEqual([]);
    expect(f.aptSources.every((s) => s.path.endsWith('.sources'))).toBe(true);
    for (const file of f.aptSources) expect(file.content).toBe(sim.readFile('pve-sa1', file.path));
  });
});
