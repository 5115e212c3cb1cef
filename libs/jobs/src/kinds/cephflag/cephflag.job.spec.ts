import { beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '@pvefleet/simulator';
import { planView } from '../../job-kind';
import { runPlan } from '../clustercheck/run-plan.spec-helper';
import { cephFlagJob, cephFlagSpec } from './cephflag.job';
import { flagProblem, parseOsdFlags } from './osd-flags';

describe('OSD map flags', () => {
  it('reads flags_set, else the flags string', () => {
    expect(parseOsdFlags('\n{"epoch":412,"flags":"noout,sortbitwise","flags_set":["noout","sortbitwise"]}\n')).toEqual([
      'noout',
      'sortbitwise',
    ]);
    expect(parseOsdFlags('{"flags":"sortbitwise,recovery_deletes"}')).toEqual(['sortbitwise', 'recovery_deletes']);
    expect(parseOsdFlags('{"flags":""}')).toEqual([]);
    expect(parseOsdFlags('Error EINVAL: invalid command')).toBeNull();
  });

  it('says what is wrong with the flag', () => {
    const map = '{"flags":"sortbitwise,pglog_hardlimit"}';
    expect(flagProblem(map, 'noout', false)).toBeUndefined();
    expect(flagProblem(map, 'noout', true)).toBe('noout is still not set (OSD map flags: sortbitwise,pglog_hardlimit)');
    expect(flagProblem('{"flags":"noout"}', 'noout', false)).toBe('noout is still set (OSD map flags: noout)');
    expect(flagProblem('', 'noout', true)).toBe('cannot read the OSD map flags from ceph osd dump');
  });
});

describe('cephflag', () => {
  let sim: Simulator;
  const exec = async (cmd: string) => sim.exec('pve2', cmd);
  const flags = () => sim.state('pve1').ceph?.flags;

  beforeAll(async () => {
    sim = await startSimulator({ controlPort: false, seed: 4, clusters: [{ name: 'lab', nodes: 3, namePrefix: 'pve', ceph: true }] });
    // The suite's teardown, registered only once the simulator runs.
    return () => sim.stop();
  });

  it('plans read, change only when needed, read back', () => {
    const set = cephFlagJob.plan({ flag: 'noout', set: true }, null);
    expect(set.steps.map((s) => s.command)).toEqual(['ceph osd dump --format json', 'ceph osd set noout', 'ceph osd dump --format json']);
    expect(planView(set).steps.map((s) => s.onlyIf)).toEqual([undefined, 'noout is not set yet', undefined]);
    expect(cephFlagJob.plan({ flag: 'noout', set: false }, null).steps[1]).toMatchObject({
      command: 'ceph osd unset noout',
      when: { describe: 'noout is set' },
    });
    expect(cephFlagJob.objectId!({ flag: 'noout', set: true })).toBe('noout');
  });

  it('accepts only the known flag and a boolean', () => {
    for (const flag of ['noout; reboot', 'nodown', 'NOOUT', '$(id)', ''])
      expect(cephFlagSpec.safeParse({ flag, set: true }).success, flag).toBe(false);
    expect(cephFlagSpec.safeParse({ flag: 'noout' }).success).toBe(false);
    expect(cephFlagSpec.safeParse({ flag: 'noout', set: 'true' }).success).toBe(false);
  });

  it('sets noout, leaves it alone the second time, unsets it', async () => {
    const on = await runPlan(cephFlagJob.plan({ flag: 'noout', set: true }, null), exec);
    expect(on.error).toBeUndefined();
    expect(flags()).toEqual(['noout']);
    const set = cephFlagJob.finish!({ flag: 'noout', set: true }, on.outputs, { facts: null, now: 0 }).result;
    expect(set).toMatchObject({ changed: true });
    expect(set!.flags).toEqual(expect.arrayContaining(['noout']));

    const again = await runPlan(cephFlagJob.plan({ flag: 'noout', set: true }, null), exec);
    expect(again.skipped).toEqual(['ceph osd set noout']);
    expect(cephFlagJob.finish!({ flag: 'noout', set: true }, again.outputs, { facts: null, now: 0 }).result).toMatchObject({
      changed: false,
    });

    const off = await runPlan(cephFlagJob.plan({ flag: 'noout', set: false }, null), exec);
    expect(off.error).toBeUndefined();
    expect(flags()).toEqual([]);
  });

  it('fails when the flag does not take', async () => {
    const fault = sim.addCommandFault('pve2', { match: 'ceph osd set', action: { kind: 'fail', exitCode: 0 } });
    try {
      const run = await runPlan(cephFlagJob.plan({ flag: 'noout', set: true }, null), exec);
      expect(run.error).toBe('noout is still not set (OSD map flags: pglog_hardlimit,purged_snapdirs,recovery_deletes,sortbitwise)');
    } finally {
      sim.clearCommandFaults('pve2', fault);
    }
  });
});
