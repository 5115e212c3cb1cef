import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '@pvefleet/simulator';
import { planView } from '../../job-kind';
import { judgeCluster, clusterStateScript } from './cluster-health';
import { clusterCheckJob, clusterCheckSpec } from './clustercheck.job';
import { runPlan } from './run-plan.spec-helper';

describe('clustercheck', () => {
  let sim: Simulator;
  const exec = (node: string) => async (cmd: string) => sim.exec(node, cmd);

  beforeAll(async () => {
    sim = await startSimulator({
      controlPort: false,
      seed: 11,
      clusters: [{ name: 'lab', nodes: 3, namePrefix: 'pve', ceph: true }],
      standalone: { count: 1, pveMajor: 9 },
      haDelayMs: 1,
      migrationDelayMs: 1,
    });
    // The suite's teardown, registered only once the simulator runs.
    return () => sim.stop();
  });
  afterEach(async () => {
    sim.restoreQuorum('lab');
    if (sim.state('pve3').power !== 'online') await sim.setOnline('pve3', { reboot: false });
  });

  const judge = async (node: string) => {
    const r = await sim.exec(node, clusterStateScript());
    expect(r.code).toBe(0);
    return judgeCluster({ stdout: r.stdout, exitCode: r.code });
  };

  it('finds a healthy cluster healthy and records its state', async () => {
    const h = await judge('pve1');
    expect(h.problems).toEqual([]);
    expect(h).toMatchObject({
      standalone: false,
      cluster: { name: 'lab', quorate: true, expectedVotes: 3, totalVotes: 3 },
      nodes: [
        { name: 'pve1', online: true },
        { name: 'pve2', online: true },
        { name: 'pve3', online: true },
      ],
      ha: { quorumOk: true, master: 'pve1', masterState: 'active', services: 3 },
      ceph: { health: 'HEALTH_OK', checks: [] },
    });
  });

  it('names a lost quorum first', async () => {
    sim.breakQuorum('lab');
    const h = await judge('pve2');
    expect(h.problems[0]).toBe('cluster lab is not quorate (1 of 3 votes)');
    expect(h.problems).toContain('nodes pve1, pve3 are offline');
    expect(h.problems).toContain('HA manager has no quorum');
  });

  it('names an offline member, the missing vote and what Ceph says about it', async () => {
    sim.setOffline('pve3');
    const h = await judge('pve1');
    expect(h.problems).toEqual([
      'cluster lab has 2 of 3 expected votes',
      'node pve3 is offline',
      expect.stringMatching(
        /^ceph is HEALTH_WARN: 1\/3 mons down, quorum pve1,pve2; 2 osds down; 1 host \(2 osds\) down; Degraded data redundancy: /,
      ),
    ]);
  });

  it('names Ceph flags as a warning state', async () => {
    await sim.exec('pve1', 'ceph osd set noout');
    try {
      expect((await judge('pve1')).problems).toEqual(['ceph is HEALTH_WARN: noout flag(s) set']);
    } finally {
      await sim.exec('pve1', 'ceph osd unset noout');
    }
  });

  it('checks a standalone node without quorum or Ceph', async () => {
    const h = await judge('pve-sa1');
    expect(h).toMatchObject({ standalone: true, cluster: null, ceph: null, problems: [] });
    expect(h.nodes).toEqual([{ name: 'pve-sa1', online: true }]);
  });

  it('plans one read-only step, retried only when asked to wait', () => {
    const once = clusterCheckJob.plan(clusterCheckSpec.parse({}), null);
    expect(once.steps).toHaveLength(1);
    expect(once.steps[0].retry).toBeUndefined();
    expect(once.steps[0].command).toContain('pvesh get /cluster/status --output-format json');
    expect(once.steps[0].command).toContain("if [ -e /etc/pve/corosync.conf ]; then echo '@@pvefleet:begin pvecm'; pvecm status;");
    expect(once.steps[0].command).toContain('ha-manager status');
    expect(once.steps[0].command).toContain('if [ -e /etc/pve/ceph.conf ]; then');
    const waiting = clusterCheckJob.plan(clusterCheckSpec.parse({ waitSeconds: 30 }), null);
    expect(waiting.steps[0].retry).toMatchObject({ timeoutMs: 30_000, intervalMs: 1_000, describe: 'cluster healthy' });
    expect(planView(waiting).steps[0]).toMatchObject({ retryUntil: 'cluster healthy', verifies: true });
    expect(clusterCheckJob.mutating).toBe(false);
  });

  it('validates waitSeconds', () => {
    expect(clusterCheckSpec.parse({})).toEqual({ waitSeconds: 0 });
    for (const bad of [-1, 1.5, '5', 86_401]) expect(clusterCheckSpec.safeParse({ waitSeconds: bad }).success).toBe(false);
    expect(clusterCheckSpec.safeParse({ node: 'pve1' }).success).toBe(false);
  });

  it('fails naming the problem, or waits until quorum is back', async () => {
    sim.breakQuorum('lab');
    const once = await runPlan(clusterCheckJob.plan({ waitSeconds: 0 }, null), exec('pve1'));
    expect(once.error).toMatch(/^cluster lab is not quorate \(1 of 3 votes\); nodes pve2, pve3 are offline; HA manager has no quorum/);

    const timedOut = await runPlan(clusterCheckJob.plan({ waitSeconds: 1 }, null), exec('pve1'));
    expect(timedOut.error).toMatch(
      /^cluster healthy \(last check: cluster lab is not quorate \(1 of 3 votes\); .*\): not reached within 1 s/,
    );

    setTimeout(() => {
      sim.restoreQuorum('lab');
    }, 200);
    const waited = await runPlan(clusterCheckJob.plan({ waitSeconds: 5 }, null), exec('pve1'));
    expect(waited.error).toBeUndefined();
    expect(waited.ran.length).toBeGreaterThan(1);
    const outcome = clusterCheckJob.finish!({ waitSeconds: 5 }, waited.outputs, { facts: null, now: 0 });
    expect(outcome.result).toMatchObject({ healthy: true, cluster: { quorate: true, totalVotes: 3 } });
  });
});
