import { beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '@pvefleet/simulator';
import { runPlan } from '../clustercheck/run-plan.spec-helper';
import { pve8to9Job, pve8to9Spec } from './pve8to9.job';
import { parsePve8to9, pve8to9Problem } from './pve8to9-report';

// The real tool's shape (pve-commands §3.3) with its ANSI colours: green PASS, yellow WARN, red FAIL.
const COLOURED = [
  '= CHECKING VERSION INFORMATION FOR PVE PACKAGES =',
  '',
  'Checking for package updates..',
  '\x1b[1;33mWARN: updates for the following packages are available:\x1b[0m',
  '\x1b[1;33m      proxmox-ve, pve-manager\x1b[0m',
  '\x1b[32mPASS: proxmox-ve package has version >= 8.4-0\x1b[0m',
  '',
  '= CHECKING CLUSTER HEALTH/SETTINGS =',
  '',
  '\x1b[31mFAIL: 1 node(s) are offline: pve3\x1b[0m',
  'SKIP: no hyper-converged ceph setup detected!',
  '',
  '= SUMMARY =',
  '',
  'TOTAL:    4',
  'PASSED:   1',
  'SKIPPED:  1',
  'WARNINGS: 1',
  '\x1b[31mFAILURES: 1\x1b[0m',
  '',
  'ATTENTION: Please check the output for detailed information!',
].join('\n');

describe('pve8to9 report', () => {
  it('reads the counts and the FAIL/WARN messages, colours stripped, continuations joined', () => {
    expect(parsePve8to9(COLOURED)).toEqual({
      total: 4,
      passed: 1,
      skipped: 1,
      warnings: 1,
      failures: 1,
      failLines: ['1 node(s) are offline: pve3'],
      warnLines: ['updates for the following packages are available: proxmox-ve, pve-manager'],
    });
    expect(pve8to9Problem(COLOURED)).toBe('pve8to9 reports 1 failure: 1 node(s) are offline: pve3');
  });

  it('has no verdict without a summary', () => {
    expect(parsePve8to9('= CHECKING VERSION INFORMATION FOR PVE PACKAGES =\nPASS: x\n')).toBeNull();
    expect(pve8to9Problem('')).toBe('pve8to9 printed no summary (FAILURES: line missing)');
  });

  it('plans exactly the checklist and takes no params', () => {
    expect(pve8to9Job.plan({}, null).steps.map((s) => s.command)).toEqual(['pve8to9 --full']);
    expect(pve8to9Spec.safeParse({ full: true }).success).toBe(false);
    expect(pve8to9Job.mutating).toBe(false);
  });
});

describe('pve8to9 against the simulator', () => {
  let sim: Simulator;
  const exec = async (cmd: string) => sim.exec('pve1', cmd);

  beforeAll(async () => {
    sim = await startSimulator({ controlPort: false, seed: 8, clusters: [{ name: 'lab', nodes: 3, namePrefix: 'pve' }] });
    // The suite's teardown, registered only once the simulator runs.
    return () => sim.stop();
  });

  it('passes with the pending-updates warning as a task warning', async () => {
    const run = await runPlan(pve8to9Job.plan({}, null), exec);
    expect(run.error).toBeUndefined();
    const outcome = pve8to9Job.finish!({}, run.outputs, { facts: null, now: 0 });
    expect(outcome.result).toMatchObject({ failures: 0, warnings: 1, failLines: [] });
    expect(outcome.warnings).toEqual([expect.stringMatching(/^pve8to9: updates for the following packages are available: \S+/)]);
  });

  it('fails listing every FAIL line', async () => {
    sim.setPve8to9('pve1', { warnings: ['custom warning'], failures: ['ceph is too old', 'found mixed suites'] });
    const run = await runPlan(pve8to9Job.plan({}, null), exec);
    expect(run.error).toBe('pve8to9 reports 2 failures: ceph is too old; found mixed suites');
  });
});
