import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestFleet } from '../support/fleet';
import { Stack } from '../support/stack';
import { eventually, startTask, taskLog, waitForStatus } from '../support/tasks';
import { stopAll } from '../support/teardown';

/**
 * A mutating task whose worker is killed while its command runs is never run again: when its kind
 * can read the node back, that read-back alone decides how it ends. Here `cephflag` on a simulated
 * Ceph cluster, its `ceph osd set noout` hanging when the worker dies.
 */
describe('a mutating task read back after its worker was killed', () => {
  let stack: Stack;
  let fleet: TestFleet;
  let node: string;
  let live = 0;

  beforeAll(async () => {
    [stack, fleet] = await Promise.all([Stack.start({ workers: 1 }), TestFleet.start({ nodes: 3, ceph: true })]);
    [node] = await fleet.register(stack);
  });
  afterAll(async () => {
    await stopAll(stack, fleet);
  });

  /** Starts `cephflag set noout` with its set command hanging, kills the worker running it, then lets `onNode` happen. */
  async function loseWorkerDuringSet(onNode: () => Promise<unknown>) {
    fleet.sim.addCommandFault(node, { match: { regex: '^ceph osd set noout$' }, action: { kind: 'hang' } });
    const upid = await startTask(stack, node, 'cephflag', { flag: 'noout', set: true });
    await eventually(
      async () => ((await taskLog(stack, upid)).some((l) => l.t.startsWith('# ceph osd set')) ? true : undefined),
      20_000,
      'the set command',
    );
    await stack.killWorker(live);
    fleet.sim.clearFaults(node);
    await onNode();
    stack.startWorker();
    live = stack.workers.length - 1;
    const sets = () => fleet.sim.node(node).execHistory.records.filter((r) => r.command.includes('ceph osd set')).length;
    const before = sets();
    const task = await waitForStatus(stack, upid, 'stopped', 60_000);
    return { task, log: (await taskLog(stack, upid)).map((l) => l.t), setAgain: sets() - before };
  }

  it('ends OK when the node shows the change took effect, without setting it again', async () => {
    // The command got as far as the cluster before the worker died.
    const { task, log, setAgain } = await loseWorkerDuringSet(() => fleet.sim.exec(node, 'ceph osd set noout'));
    expect(task.exitstatus).toBe('OK');
    expect(task.errorClass).toBeNull();
    expect(log.join('\n')).toContain('the node is read back to see whether it took effect');
    expect(log).toContain('verified after worker loss: the node is as this task intended');
    expect(setAgain).toBe(0);
  });

  it('ends interrupted, saying what it found, when the change did not take effect', async () => {
    await fleet.sim.exec(node, 'ceph osd unset noout');
    const { task, setAgain } = await loseWorkerDuringSet(() => Promise.resolve());
    expect(task.exitstatus).toMatch(/^interrupted: worker lost during task; read back afterwards: noout is still not set/);
    expect(task.errorClass).toBe('interrupted');
    expect(setAgain).toBe(0);
    expect(fleet.sim.state(node).ceph?.flags).not.toContain('noout');
  });
});
