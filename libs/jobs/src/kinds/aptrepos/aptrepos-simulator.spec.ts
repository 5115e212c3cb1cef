import { beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '@pvefleet/simulator';
import { factsScript, splitSections } from '../facts/facts-script';
import { parseFacts } from '../facts/parse-facts';
import { runOnPeer } from '../aptupgrade/fixtures.spec-helper';
import { runPlan } from '../clustercheck/run-plan.spec-helper';
import { aptReposJob, type AptReposSpec } from './aptrepos.job';

/** aptrepos' commands against the simulator (no SSH, no runner): the fast loop behind the e2e tests. */
describe('aptrepos against the simulator', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startSimulator({
      controlPort: false,
      seed: 11,
      clusters: [{ name: 'lab', nodes: 2, namePrefix: 'pve', pveMajor: 8 }],
      standalone: { count: 1, pveMajor: 9 },
      subscription: true,
    });
    // The suite's teardown, registered only once the simulator runs.
    return () => sim.stop();
  });

  async function apply(node: string, params: AptReposSpec) {
    const { stdout } = await sim.exec(node, factsScript());
    const plan = aptReposJob.plan(aptReposJob.spec.parse(params), parseFacts(splitSections(stdout), Date.now()));
    return runOnPeer(sim, node, plan);
  }

  it.each([['pve1'], ['pve-sa1']])('%s: every channel, one enabled, idempotent', async (node) => {
    for (const channel of ['test', 'enterprise', 'no-subscription'] as const) {
      const first = await apply(node, { channel });
      expect(first.failure, `${channel}: ${first.stderr}`).toBeUndefined();
      expect(sim.state(node).repositories.pve).toEqual([channel]);
      const again = await apply(node, { channel });
      expect(again.ran.map((c) => c.split(' ')[0])).toEqual(['apt-get', 'for']);
    }
  });

  it('a switch apt cannot fetch from is rolled back: every file byte for byte, created ones removed, apt works again', async () => {
    const sources = async () =>
      (
        await sim.exec(
          'pve1',
          'ls /etc/apt/sources.list.d; for f in /etc/apt/sources.list /etc/apt/sources.list.d/*; do echo "== $f"; cat "$f"; done',
        )
      ).stdout;
    expect((await apply('pve1', { channel: 'no-subscription' })).failure).toBeUndefined();
    const before = await sources();
    sim.options.subscription = false;
    try {
      const { stdout } = await sim.exec('pve1', factsScript());
      const facts = parseFacts(splitSections(stdout), 1_700_000_000_000);
      // enterprise rewrites both shipped files; test creates pvetest.list on top
      for (const channel of ['enterprise', 'test'] as const) {
        const plan = aptReposJob.plan(
          aptReposJob.spec.parse({ channel, ceph: channel === 'test' ? { release: 'quincy', channel: 'enterprise' } : undefined }),
          facts,
        );
        const r = await runPlan(plan, (c) => sim.exec('pve1', c));
        expect(r.error, channel).toMatch(/^command 'apt-get update' failed: exit code 100: .*enterprise\.proxmox\.com.*; restored /);
        expect(r.ran.at(-1)).toBe('apt-get update');
        expect(await sources(), channel).toBe(before);
        expect((await sim.exec('pve1', 'ls /var/lib/pvefleet/backup')).stdout).toBe('');
        expect((await sim.exec('pve1', 'apt-get update')).code).toBe(0);
      }
    } finally {
      sim.options.subscription = true;
    }
  });

  it('the major-upgrade switch leaves only trixie entries enabled, and pve8to9 sees no mismatch', async () => {
    expect((await apply('pve2', { channel: 'test' })).failure).toBeUndefined();
    const r = await apply('pve2', { channel: 'test', suite: 'trixie' });
    expect(r.failure).toBeUndefined();
    const enabled = sim.state('pve2').repositories.entries.filter((e) => e.enabled);
    expect(enabled.every((e) => e.suite.startsWith('trixie'))).toBe(true);
    const check = await sim.exec('pve2', 'pve8to9');
    expect(check.stdout).toContain('PASS: found no suite mismatch');
    expect(check.stdout).not.toContain("'pvetest' component together with trixie");
  });
});
