import { beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '@pvefleet/simulator';
import { runPlan } from '../clustercheck/run-plan.spec-helper';
import { judgeNode, nodeHealthScript } from './node-health';
import { nodeHealthJob, nodeHealthSpec } from './nodehealth.job';
import { parseOsdTree } from './osd-tree';
import { parseUnitStates } from './service-states';

// pve-outputs §4.4's state (pve3 down) as `ceph osd tree -f json` lists it: buckets, then OSDs.
const TREE =
  '\n{"nodes":[{"id":-1,"name":"default","type":"root","type_id":11,"children":[-7,-5,-3]},{"id":-3,"name":"pve1","type":"host","type_id":1,"pool_weights":{},"children":[1,0]},{"id":0,"device_class":"ssd","name":"osd.0","type":"osd","type_id":0,"crush_weight":0.87329,"depth":2,"pool_weights":{},"exists":1,"status":"up","reweight":1,"primary_affinity":1},{"id":1,"device_class":"ssd","name":"osd.1","type":"osd","type_id":0,"crush_weight":0.87329,"depth":2,"pool_weights":{},"exists":1,"status":"up","reweight":1,"primary_affinity":1},{"id":-7,"name":"pve3","type":"host","type_id":1,"pool_weights":{},"children":[5,4]},{"id":4,"device_class":"ssd","name":"osd.4","type":"osd","type_id":0,"crush_weight":0.87329,"depth":2,"pool_weights":{},"exists":1,"status":"down","reweight":1,"primary_affinity":1},{"id":5,"device_class":"ssd","name":"osd.5","type":"osd","type_id":0,"crush_weight":0.87329,"depth":2,"pool_weights":{},"exists":1,"status":"down","reweight":1,"primary_affinity":1},{"id":-5,"name":"pve2","type":"host","type_id":1,"pool_weights":{},"children":[]}],"stray":[]}\n';

describe('nodehealth parsers', () => {
  it('reads each host bucket with its OSDs', () => {
    const hosts = parseOsdTree(TREE)!;
    expect(hosts.get('pve3')).toEqual([
      { id: 4, name: 'osd.4', status: 'down' },
      { id: 5, name: 'osd.5', status: 'down' },
    ]);
    expect(hosts.get('pve1')?.map((o) => o.status)).toEqual(['up', 'up']);
    expect(hosts.get('pve2')).toEqual([]);
    expect(parseOsdTree('ID  CLASS  WEIGHT')).toBeNull();
  });

  it('reads systemctl is-active lines by position (pve-outputs §8)', () => {
    expect(parseUnitStates('inactive\nactive\n', ['pve-ha-lrm', 'pveproxy', 'pvedaemon'])).toEqual({
      'pve-ha-lrm': 'inactive',
      pveproxy: 'active',
      pvedaemon: 'unknown',
    });
  });
});

describe('nodehealth plan', () => {
  it('always waits, with Ceph auto-detected, forced or left out', () => {
    const auto = nodeHealthJob.plan(nodeHealthSpec.parse({}), null);
    expect(auto.steps).toHaveLength(1);
    expect(auto.steps[0].retry).toMatchObject({ timeoutMs: 600_000, describe: 'node healthy' });
    expect(auto.steps[0].command).toContain('systemctl is-active corosync pve-cluster pvedaemon pveproxy pve-ha-lrm');
    expect(auto.steps[0].command).toContain(
      "if [ -e /etc/pve/ceph.conf ]; then echo '@@pvefleet:begin osdTree'; timeout 15 ceph osd tree --format json;",
    );
    expect(nodeHealthScript(true)).toContain("\necho '@@pvefleet:begin osdTree'; timeout 15 ceph osd tree --format json;");
    expect(nodeHealthScript(false)).not.toContain('ceph');
    expect(nodeHealthJob.mutating).toBe(false);
  });

  it('validates its fields', () => {
    expect(nodeHealthSpec.parse({})).toEqual({ waitSeconds: 600 });
    for (const bad of [{ waitSeconds: -1 }, { waitSeconds: 2.5 }, { ceph: 'yes' }, { node: 'pve1' }])
      expect(nodeHealthSpec.safeParse(bad).success).toBe(false);
  });
});

describe('nodehealth against the simulator', () => {
  let sim: Simulator;
  const exec = (node: string) => async (cmd: string) => sim.exec(node, cmd);
  const judge = async (node: string, ceph?: boolean) => {
    const r = await sim.exec(node, nodeHealthScript(ceph));
    return judgeNode({ stdout: r.stdout, exitCode: r.code });
  };

  beforeAll(async () => {
    sim = await startSimulator({
      controlPort: false,
      seed: 21,
      clusters: [{ name: 'lab', nodes: 3, namePrefix: 'pve', ceph: true }],
      standalone: { count: 1 },
      rebootDelayMs: 300,
      shutdownDelayMs: 5,
    });
    // The suite's teardown, registered only once the simulator runs.
    return () => sim.stop();
  });

  it('finds a healthy node healthy', async () => {
    expect(await judge('pve2')).toEqual({
      node: 'pve2',
      services: { corosync: 'active', 'pve-cluster': 'active', pvedaemon: 'active', pveproxy: 'active', 'pve-ha-lrm': 'active' },
      cluster: { name: 'lab', quorate: true, inMembership: true },
      lrmState: 'active',
      ceph: {
        osds: [
          { id: 2, name: 'osd.2', status: 'up' },
          { id: 3, name: 'osd.3', status: 'up' },
        ],
        pgs: { total: 129, activeClean: 129 },
      },
      problems: [],
    });
  });

  it('names a stopped service and an unready Ceph', async () => {
    await sim.exec('pve2', 'systemctl stop pve-ha-lrm');
    sim.setOffline('pve3');
    try {
      expect((await judge('pve2')).problems).toEqual([
        'pve-ha-lrm is inactive',
        expect.stringMatching(/^86 of 129 placement groups are not active\+clean \(86 active\+undersized\+degraded\)$/),
      ]);
      expect((await judge('pve2', false)).problems).toEqual(['pve-ha-lrm is inactive']);
    } finally {
      await sim.exec('pve2', 'systemctl start pve-ha-lrm');
      await sim.setOnline('pve3');
    }
  });

  it('checks a standalone node without corosync, and Ceph only when asked', async () => {
    expect((await judge('pve-sa1')).problems).toEqual([]);
    expect((await judge('pve-sa1')).cluster).toBeNull();
    expect((await judge('pve-sa1', true)).problems).toEqual(['ceph osd tree failed (exit code 1)', 'ceph -s failed (exit code 1)']);
  });

  it('waits while a reboot elsewhere leaves placement groups degraded', async () => {
    await sim.exec('pve3', 'reboot');
    while (sim.state('pve3').power === 'online') await new Promise((r) => setTimeout(r, 5));
    const run = await runPlan(nodeHealthJob.plan({ waitSeconds: 10 }, null), exec('pve1'));
    expect(run.error).toBeUndefined();
    expect(run.ran.length).toBeGreaterThan(1);
    expect(nodeHealthJob.finish!({ waitSeconds: 10 }, run.outputs, { facts: null, now: 0 }).result).toMatchObject({
      healthy: true,
      node: 'pve1',
    });
  });

  it('fails naming what is still not back', async () => {
    sim.setRebootBehaviour('pve3', 'hang');
    await sim.exec('pve3', 'reboot');
    try {
      while (sim.state('pve3').power === 'online') await new Promise((r) => setTimeout(r, 5));
      const run = await runPlan(nodeHealthJob.plan({ waitSeconds: 1 }, null), exec('pve1'));
      expect(run.error).toMatch(
        /^node healthy \(last check: 86 of 129 placement groups are not active\+clean .*\): not reached within 1 s/,
      );
    } finally {
      sim.setRebootBehaviour('pve3', 'normal');
      await sim.setOnline('pve3');
    }
  });
});
