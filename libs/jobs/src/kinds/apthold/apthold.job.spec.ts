import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '@pvefleet/simulator';
import { runPlan } from '../clustercheck/run-plan.spec-helper';
import { factsScript, splitSections } from '../facts/facts-script';
import { parseFacts } from '../facts/parse-facts';
import { aptHoldJob } from './apthold.job';

const spec = (params: Record<string, unknown>) => aptHoldJob.spec.parse(params);
const SHOWHOLD = "apt-mark showhold && echo '@@pvefleet-end'";

describe('apthold plan', () => {
  it('apt-mark hold and unhold, then showhold read back', () => {
    const plan = aptHoldJob.plan(spec({ hold: ['proxmox-ve', 'pve-manager'], unhold: ['zfsutils-linux'] }), null);
    expect(plan.steps.map((s) => s.command)).toEqual(['apt-mark hold proxmox-ve pve-manager', 'apt-mark unhold zfsutils-linux', SHOWHOLD]);
    expect(aptHoldJob.plan(spec({ unhold: ['proxmox-ve'] }), null).steps.map((s) => s.command)).toEqual([
      'apt-mark unhold proxmox-ve',
      SHOWHOLD,
    ]);
  });

  it('the read-back names what is not as asked', () => {
    const step = aptHoldJob.plan(spec({ hold: ['proxmox-ve'], unhold: ['pve-manager'] }), null).steps[2];
    expect(step.verify?.({ stdout: 'pve-manager\n@@pvefleet-end', exitCode: 0 }, {})).toBe('not held: proxmox-ve; still held: pve-manager');
    expect(step.verify?.({ stdout: 'proxmox-ve\n@@pvefleet-end', exitCode: 0 }, {})).toBeUndefined();
  });

  it('validates package names (Debian policy), duplicates and contradictions, naming the field', () => {
    const issues = (params: unknown) => aptHoldJob.spec.safeParse(params).error?.issues.map((i) => [i.path.join('.'), i.message]);
    expect(issues({ hold: ['pve;reboot'] })).toEqual([
      [
        'hold.0',
        'must be a Debian package name: lowercase letters, digits, + - . (at least 2 characters, starting with a letter or digit), optionally :arch',
      ],
    ]);
    for (const bad of ['Proxmox', 'a', '-x', 'x y', '$(id)', 'pkg:'])
      expect(aptHoldJob.spec.safeParse({ hold: [bad] }).success).toBe(false);
    expect(issues({ hold: ['a1', 'a1'] })).toEqual([['hold.1', "duplicate package 'a1'"]]);
    expect(issues({})).toEqual([['hold', 'hold or unhold at least one package']]);
    expect(issues({ hold: ['vim'], unhold: ['vim'] })).toEqual([['unhold.0', "'vim' is also in hold"]]);
    expect(spec({ hold: ['libstdc++6', 'libc6:i386', 'pve-qemu-kvm'] }).hold).toHaveLength(3);
  });
});

describe('apthold against the simulator', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ controlPort: false, seed: 5, clusters: [{ name: 'lab', nodes: 1, namePrefix: 'pve', pveMajor: 8 }] });
  });
  afterAll(() => sim.stop());

  it('holds and releases; the facts show the held set', async () => {
    const exec = (c: string) => sim.exec('pve1', c);
    expect((await runPlan(aptHoldJob.plan(spec({ hold: ['proxmox-ve', 'pve-manager'] }), null), exec)).error).toBeUndefined();
    expect([...sim.node('pve1').heldPackages].sort()).toEqual(['proxmox-ve', 'pve-manager']);
    expect((await runPlan(aptHoldJob.plan(spec({ unhold: ['pve-manager'] }), null), exec)).error).toBeUndefined();
    const facts = parseFacts(splitSections((await exec(factsScript())).stdout), Date.now());
    expect(facts.heldPackages).toEqual(['proxmox-ve']);
  });

  it("an unknown package fails the hold with apt-mark's exit code", async () => {
    const run = await runPlan(aptHoldJob.plan(spec({ hold: ['nosuch-package'] }), null), (c) => sim.exec('pve1', c));
    expect(run.error).toBe("command 'apt-mark hold nosuch-package' failed: exit code 100");
  });
});
