import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client';
import { Stack } from '../support/stack';
import { TestSshd } from '../support/sshd';
import { eventually, registerNode, startTask, taskLog, waitForStatus } from '../support/tasks';
import { stopAll } from '../support/teardown';

const fakeAptRunning = (sshd: TestSshd) => {
  try {
    return (
      execFileSync('pgrep', ['-f', `${sshd.dir}/bin/apt-get`])
        .toString()
        .trim().length > 0
    );
  } catch {
    return false;
  }
};

describe('cancelling tasks', () => {
  let stack: Stack;
  let sshd: TestSshd;

  beforeAll(async () => {
    [stack, sshd] = await Promise.all([Stack.start(), TestSshd.start()]);
  });
  afterAll(async () => {
    await stopAll(stack, sshd);
  });

  const cancel = (upid: string) => apiClient(stack).DELETE('/api/v1/tasks/{upid}', { params: { path: { upid } } });

  it('stops a running task: the remote command is killed and the task says it was interrupted', async () => {
    sshd.setApt({ seconds: 60, lines: 60 });
    const node = await registerNode(stack, sshd);
    const upid = await startTask(stack, node, 'aptupdate');
    await waitForStatus(stack, upid, 'running');
    await eventually(() => Promise.resolve(fakeAptRunning(sshd) ? true : undefined), 10_000, 'apt-get to run on the node');

    const res = await cancel(upid);
    expect(res.response.status).toBe(202);
    expect(res.data?.status).toBe('stopping');
    const task = await waitForStatus(stack, upid, 'stopped', 15_000);
    expect(task.exitstatus).toBe('received interrupt');
    expect(task.errorClass).toBe('cancelled');
    const log = (await taskLog(stack, upid)).map((l) => l.t);
    expect(log).toContain('cancelled by admin@pvefleet!bootstrap');
    expect(log.at(-1)).toBe('TASK ERROR: received interrupt');
    await eventually(() => Promise.resolve(fakeAptRunning(sshd) ? undefined : true), 10_000, 'apt-get to be killed on the node');
    expect(sshd.aptCalls().at(-1)?.event).toBe('start');
    sshd.setApt({});
  });

  it('stops a queued task before it ever runs', async () => {
    sshd.setApt({ seconds: 3 });
    const node = await registerNode(stack, sshd);
    const starts = () => sshd.aptCalls().filter((c) => c.event === 'start').length;
    const startsBefore = starts();
    const first = await startTask(stack, node, 'aptupdate');
    const second = await startTask(stack, node, 'aptupdate');
    await waitForStatus(stack, first, 'running');

    const res = await cancel(second);
    expect(res.response.status).toBe(202);
    expect(res.data?.status).toBe('stopped');
    const cancelled = await waitForStatus(stack, second);
    expect(cancelled.exitstatus).toBe('received interrupt');
    expect(cancelled.errorClass).toBe('cancelled');
    expect(cancelled.startedAt).toBeNull();
    expect((await taskLog(stack, second)).map((l) => l.t)).toEqual([
      'cancelled by admin@pvefleet!bootstrap before it started',
      'TASK ERROR: received interrupt',
    ]);

    await waitForStatus(stack, first);
    // Give a wrongly-delivered job every chance to run, then check it did not.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(starts()).toBe(startsBefore + 1);
    expect((await stack.http.delete(`/tasks/${encodeURIComponent(second)}`)).status).toBe(409);
    sshd.setApt({});
  });
});
