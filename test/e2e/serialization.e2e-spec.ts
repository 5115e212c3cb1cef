import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Stack } from '../support/stack';
import { TestSshd } from '../support/sshd';
import { getTask, registerNode, startTask, waitForStatus, type TaskJson } from '../support/tasks';
import { stopAll } from '../support/teardown';

const span = (t: TaskJson) => ({ start: Date.parse(t.startedAt!), end: Date.parse(t.endedAt!) });

describe('one mutating task per node at a time, across worker processes', () => {
  let stack: Stack;
  let sshdA: TestSshd;
  let sshdB: TestSshd;

  beforeAll(async () => {
    // Two worker processes compete for the same queue.
    [stack, sshdA, sshdB] = await Promise.all([Stack.start({ workers: 2 }), TestSshd.start(), TestSshd.start()]);
    sshdA.setApt({ seconds: 1.5 });
    sshdB.setApt({ seconds: 1.5 });
  });
  afterAll(async () => {
    await stopAll(stack, sshdA, sshdB);
  });

  it('runs mutating tasks on one node one after another, in submission order', async () => {
    const node = await registerNode(stack, sshdA);
    const upids: string[] = [];
    for (let i = 0; i < 3; i++) upids.push(await startTask(stack, node, 'aptupdate'));
    const tasks = await Promise.all(upids.map((u) => waitForStatus(stack, u, 'stopped', 40_000)));
    expect(tasks.map((t) => t.exitstatus)).toEqual(['OK', 'OK', 'OK']);
    const spans = tasks.map(span);
    for (let i = 1; i < spans.length; i++) expect(spans[i].start).toBeGreaterThanOrEqual(spans[i - 1].end);
    // The node itself saw no overlap either.
    const calls = sshdA.aptCalls();
    for (let i = 1; i < calls.length; i++) expect(calls[i].event).not.toBe(calls[i - 1].event);
  });

  it('runs mutating tasks on two nodes in parallel', async () => {
    const [a, b] = await Promise.all([registerNode(stack, sshdA), registerNode(stack, sshdB)]);
    const [ua, ub] = await Promise.all([startTask(stack, a, 'aptupdate'), startTask(stack, b, 'aptupdate')]);
    const [ta, tb] = (await Promise.all([waitForStatus(stack, ua), waitForStatus(stack, ub)])).map(span);
    expect(Math.max(ta.start, tb.start)).toBeLessThan(Math.min(ta.end, tb.end));
  });

  it('lets a read-only task run beside a mutating one on the same node', async () => {
    sshdA.setApt({ seconds: 3 });
    const node = await registerNode(stack, sshdA);
    const upgrade = await startTask(stack, node, 'aptupdate');
    await waitForStatus(stack, upgrade, 'running');
    const facts = await waitForStatus(stack, await startTask(stack, node, 'facts'));
    const running = await getTask(stack, upgrade);
    expect(facts.exitstatus).toBe('OK');
    expect(running.status).toBe('running');
    await waitForStatus(stack, upgrade);
    sshdA.setApt({ seconds: 1.5 });
  });
});
