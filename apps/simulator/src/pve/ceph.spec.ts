import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../simulator';
import { startTestSim, waitFor } from '../testing/sim-harness';

describe('ceph and pve8to9', () => {
  let sim: Simulator;
  afterEach(() => sim.stop());

  it('health degrades while a node is down and noout is set', async () => {
    sim = await startTestSim({ clusters: [{ name: 'lab', nodes: 3, namePrefix: 'pve', ceph: true }] });
    expect((await sim.exec('pve1', 'ceph -s')).stdout).toContain('    health: HEALTH_OK\n \n  services:\n');
    expect(await sim.exec('pve1', 'ceph osd set noout')).toEqual({ stdout: '', stderr: 'noout is set\n', code: 0 });
    sim.setOffline('pve3');
    const s = (await sim.exec('pve1', 'ceph -s')).stdout;
    expect(s).toContain(
      '    health: HEALTH_WARN\n            1/3 mons down, quorum pve1,pve2\n            noout flag(s) set\n            2 osds down\n            1 host (2 osds) down\n            Degraded data redundancy: 3404/10212 objects degraded (33.333%), 86 pgs degraded, 86 pgs undersized\n',
    );
    expect(s).toMatch(/ {4}osd: 6 osds: 4 up \(since \d+s\), 6 in \(since 3w\)\n {9}flags noout\n/);
    const json = (await sim.exec('pve1', 'ceph -s --format json')).stdout;
    expect(json.startsWith('\n{"fsid":')).toBe(true);
    const parsed = JSON.parse(json) as { health: { status: string; checks: Record<string, unknown> }; osdmap: { num_up_osds: number } };
    expect(parsed.health.status).toBe('HEALTH_WARN');
    expect(Object.keys(parsed.health.checks)).toEqual(['MON_DOWN', 'OSDMAP_FLAGS', 'OSD_DOWN', 'OSD_HOST_DOWN', 'PG_DEGRADED']);
    expect(parsed.osdmap.num_up_osds).toBe(4);
    expect((await sim.exec('pve1', 'ceph osd tree')).stdout).toContain(' 4    ssd  0.87329          osd.4    down   1.00000  1.00000\n');
    await sim.setOnline('pve3');
    await waitFor(() => sim.state('pve3').power === 'online');
    expect(await sim.exec('pve1', 'ceph osd unset noout')).toMatchObject({ stderr: 'noout is unset\n' });
    expect((await sim.exec('pve1', 'ceph health')).stdout).toBe('HEALTH_OK\n');
    expect(await sim.exec('pve1', 'ceph osd set nooutx')).toMatchObject({ code: 22 });
  });

  it('osd dump shows the map flags and osd tree --format json the CRUSH tree with OSD states', async () => {
    sim = await startTestSim({ clusters: [{ name: 'lab', nodes: 3, namePrefix: 'pve', ceph: true }] });
    const flags = async () =>
      JSON.parse((await sim.exec('pve1', 'ceph osd dump --format json')).stdout) as {
        flags: string;
        flags_num: number;
        flags_set: string[];
      };
    expect(await flags()).toMatchObject({ flags: 'sortbitwise,recovery_deletes,purged_snapdirs,pglog_hardlimit', flags_num: 5799936 });
    await sim.exec('pve1', 'ceph osd set noout');
    expect(await flags()).toMatchObject({
      flags: 'noout,sortbitwise,recovery_deletes,purged_snapdirs,pglog_hardlimit',
      flags_num: 5800064,
      flags_set: ['noout', 'pglog_hardlimit', 'purged_snapdirs', 'recovery_deletes', 'sortbitwise'],
    });
    expect((await sim.exec('pve1', 'ceph osd dump')).stdout).toContain(
      '\nflags noout,sortbitwise,recovery_deletes,purged_snapdirs,pglog_hardlimit\n',
    );
    sim.setOffline('pve3');
    const tree = await sim.exec('pve1', 'ceph osd tree --format json');
    expect(tree.stdout.startsWith('\n{"nodes":[{"id":-1,"name":"default","type":"root","type_id":11,"children":[-7,-5,-3]}')).toBe(true);
    const nodes = (JSON.parse(tree.stdout) as { nodes: { id: number; name: string; type: string; children?: number[]; status?: string }[] })
      .nodes;
    expect(nodes.find((n) => n.name === 'pve3')).toMatchObject({ type: 'host', children: [5, 4] });
    expect(nodes.filter((n) => n.type === 'osd').map((n) => `${n.name}:${n.status}`)).toEqual([
      'osd.0:up',
      'osd.1:up',
      'osd.2:up',
      'osd.3:up',
      'osd.4:down',
      'osd.5:down',
    ]);
  });

  it('ceph without a Ceph cluster fails like the real client', async () => {
    sim = await startTestSim();
    expect(await sim.exec('pve1', 'ceph -s')).toMatchObject({
      code: 1,
      stderr: "Error initializing cluster client: ObjectNotFound('RADOS object not found (error calling conf_read_file)')\n",
    });
  });

  it('pve8to9 --full always exits 0 and summarises injected warnings and failures', async () => {
    sim = await startTestSim();
    const clean = await sim.exec('pve1', 'pve8to9 --full');
    expect(clean.code).toBe(0);
    expect(clean.stdout.split('\n')[0]).toBe('= CHECKING VERSION INFORMATION FOR PVE PACKAGES =');
    expect(clean.stdout).toContain('\n= SUMMARY =\n\nTOTAL:    ');
    sim.setPve8to9('pve1', { warnings: ['custom warning'], failures: ['custom failure one', 'custom failure two'] });
    const r = await sim.exec('pve1', 'pve8to9 --full');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('FAIL: custom failure two\n');
    expect(r.stdout).toMatch(/\nFAILURES: 2\n/);
  });
});
